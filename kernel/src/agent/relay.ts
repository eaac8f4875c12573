// The CDP relay between an inspector session and a framed byte stream, used by both agents: the
// runner's (agentWorker.ts, over the runner's fd) and the remote one (remoteWorker.ts, over the
// TLS link). Runs inside a worker thread, so it keeps working while the main thread is paused.
// When the link ends for any reason the session disables the debugger (removing breakpoints and
// resuming a paused main thread) and disconnects: a closed notebook never leaves the process paused.

import type * as inspector from 'node:inspector';
import type { Duplex } from 'node:stream';
import { encodeFrame, FrameDecoder, MAX_FRAME_BYTES } from './framing';
import type { AgentHello, CdpCommandMessage, CdpResultMessage } from './protocol';

export interface RelayOptions {
  hello: AgentHello;
  log(message: string): void;
  /** Called once, after the session has been cleaned up. */
  onClose(reason: string): void;
  maxFrameBytes?: number;
}

export interface Relay {
  send(message: object): void;
  close(reason: string): void;
}

/** Node reports inspector errors as `Inspector error <code>: <message>`; keep code and text. */
function toError(err: Error): { code: number; message: string } {
  const m = /^Inspector error (-?\d+): ([\s\S]*)$/.exec(err.message);
  return m ? { code: Number(m[1]), message: m[2] } : { code: -32000, message: err.message };
}

export function runRelay(link: Duplex, session: inspector.Session, options: RelayOptions): Relay {
  let closed = false;
  const send = (message: object): void => {
    if (!closed && !link.destroyed) link.write(encodeFrame(message));
  };

  const cleanup = (reason: string): void => {
    if (closed) return;
    closed = true;
    link.destroy();
    const finish = (): void => {
      try {
        session.disconnect();
      } catch {
        /* already gone */
      }
      options.onClose(reason);
    };
    try {
      // Resume a paused main thread first (an error just means it was not paused), then
      // Debugger.disable drops every breakpoint of this session; disconnect() would do the same,
      // this makes it explicit and ordered, and the session goes only once both are done.
      session.post('Debugger.resume', {}, () => {
        try {
          session.post('Debugger.disable', {}, finish);
        } catch {
          finish();
        }
      });
    } catch {
      finish();
    }
  };

  session.on('inspectorNotification', (note: { method: string; params?: unknown }) => {
    send({ method: note.method, params: note.params });
  });

  const decoder = new FrameDecoder(options.maxFrameBytes ?? MAX_FRAME_BYTES);
  link.on('data', (chunk: Buffer) => {
    let messages: unknown[];
    try {
      messages = decoder.push(chunk);
    } catch (e) {
      options.log(`bad frame from the kernel: ${(e as Error).message}`);
      cleanup('bad frame from the kernel');
      return;
    }
    for (const raw of messages) {
      const msg = raw as Partial<CdpCommandMessage>;
      if (typeof msg !== 'object' || msg === null || typeof msg.id !== 'number' || typeof msg.method !== 'string') continue;
      const id = msg.id;
      const params = typeof msg.params === 'object' && msg.params !== null ? msg.params : {};
      session.post(msg.method, params, (err, result) => {
        const reply: CdpResultMessage = err ? { id, error: toError(err) } : { id, result: result ?? {} };
        send(reply);
      });
    }
  });
  link.on('end', () => cleanup('the kernel closed the link'));
  link.on('close', () => cleanup('the link closed'));
  link.on('error', (e) => {
    options.log(`link error: ${e.message}`);
    cleanup(`link error: ${e.message}`);
  });
  link.resume();
  send(options.hello);
  return { send, close: cleanup };
}
