// A message transport under the CDP client: three members, so the runner's pipe, a remote agent's
// TLS link and in-memory test doubles are interchangeable. `StreamTransport` frames messages over
// any byte stream with the agent link's length-prefixed JSON.

import type { Duplex } from 'node:stream';
import { encodeFrame, FrameDecoder } from '../link/framing';
import { logger } from '../common/log';

const log = logger('targets');

export interface ITransport {
  send(message: object): void;
  onMessage(listener: (message: unknown) => void): void;
  onClose(listener: () => void): void;
  close(): void;
}

/** Listener bookkeeping shared by every transport: message fan-out and close-once. */
export abstract class BaseTransport implements ITransport {
  private readonly messageListeners: ((m: unknown) => void)[] = [];
  private readonly closeListeners: (() => void)[] = [];
  protected closed = false;

  abstract send(message: object): void;
  abstract close(): void;

  onMessage(listener: (message: unknown) => void): void {
    this.messageListeners.push(listener);
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  protected deliver(message: unknown): void {
    for (const l of this.messageListeners) l(message);
  }

  protected markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.closeListeners.splice(0)) l();
  }
}

export class StreamTransport extends BaseTransport {
  private corked = false;

  constructor(private readonly stream: Duplex) {
    super();
    const decoder = new FrameDecoder();
    stream.on('data', (chunk: Buffer) => {
      let messages: unknown[];
      try {
        messages = decoder.push(chunk);
      } catch (e) {
        log.error(`dropping the agent link: ${(e as Error).message}`);
        this.close();
        return;
      }
      for (const m of messages) this.deliver(m);
    });
    stream.on('close', () => this.markClosed());
    stream.on('end', () => this.markClosed());
    stream.on('error', (e: NodeJS.ErrnoException) => {
      // The other end went away (the runner exited, e.g. at shutdown or restart): that is a
      // close, which the runtime reports in its own words. Anything else is worth a warning.
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') log.debug(`agent link closed: ${e.message}`);
      else log.warn(`agent link error: ${e.message}`);
      this.markClosed();
    });
  }

  send(message: object): void {
    if (this.closed) return;
    // Commands sent in one go (a prefetch's four, a breakpoint update's several) leave in one
    // write: corked until the current callback and its promise jobs are done.
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      process.nextTick(() => {
        this.corked = false;
        this.stream.uncork();
      });
    }
    this.stream.write(encodeFrame(message));
  }

  close(): void {
    this.stream.destroy();
    this.markClosed();
  }
}
