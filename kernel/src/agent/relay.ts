// The CDP relay between an inspector session and a framed byte stream, used by both agents: the
// runner's (agentWorker.ts, over the runner's fd) and the remote one (remoteWorker.ts, over the
// TLS link). Runs inside a worker thread, so it keeps working while the main thread is paused.
// When the link ends for any reason the session resumes a paused main thread, disables the
// debugger (removing breakpoints) and disconnects: a closed notebook never leaves the process
// paused. With `keepaliveTimeoutMs`, a link on which the kernel has said nothing for that long
// (a frozen kernel, a cut network: TCP may never report either) ends the same way.
//
// The relay disconnects the session but never ends the worker thread: a worker that exits right
// after session.disconnect() races the main thread's release of that session and aborts the whole
// process (see remoteWorker.ts). What the worker does after onClose is the worker's business.

import type * as inspector from 'node:inspector';
import type { Duplex } from 'node:stream';
import { encodeFrame, FrameDecoder, MAX_FRAME_BYTES } from '../link/framing';
import { AGENT_PING, type AgentHello, type CdpCommandMessage, type CdpResultMessage } from '../link/protocol';

export interface RelayOptions {
  hello: AgentHello;
  log(message: string): void;
  /** Called once, after the session has been cleaned up (resumed, disabled, disconnected). */
  onClose(reason: string): void;
  maxFrameBytes?: number;
  /**
   * End the link when nothing arrived from the kernel for this long. Armed by the kernel's first
   * `Agent.ping` (a kernel that never pings is never timed out). Off by default: the runner's
   * agent must wait for a kernel that is busy type-checking.
   */
  keepaliveTimeoutMs?: number;
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

/** Resume, then disable (drops this session's breakpoints), then disconnect; `done` runs once at the end. */
function releaseSession(session: inspector.Session, done: () => void): void {
  const finish = (): void => {
    try {
      session.disconnect();
    } catch {
      /* already gone */
    }
    done();
  };
  try {
    // An error from resume just means the main thread was not paused. Disconnect alone would do
    // both too; doing them first makes the order explicit, and the session goes once both are done.
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
}

export function runRelay(link: Duplex, session: inspector.Session, options: RelayOptions): Relay {
  let closed = false;
  let keepaliveTimer: NodeJS.Timeout | undefined;
  let lastHeard = Date.now();
  const send = (message: object): void => {
    if (!closed && !link.destroyed) link.write(encodeFrame(message));
  };

  const cleanup = (reason: string): void => {
    if (closed) return;
    closed = true;
    if (keepaliveTimer) clearInterval(keepaliveTimer);
    session.removeListener('inspectorNotification', onNotification);
    link.destroy();
    releaseSession(session, () => options.onClose(reason));
  };

  const armKeepalive = (timeoutMs: number): void => {
    if (keepaliveTimer || closed) return;
    keepaliveTimer = setInterval(
      () => {
        if (Date.now() - lastHeard > timeoutMs) cleanup(`no word from the kernel for ${(timeoutMs / 1000).toFixed(1)} s (keepalive)`);
      },
      Math.max(50, Math.min(1000, timeoutMs / 4)),
    );
    keepaliveTimer.unref(); // the link keeps the worker alive, never this timer
  };

  const onNotification = (note: { method: string; params?: unknown }): void => {
    send({ method: note.method, params: note.params });
  };
  session.on('inspectorNotification', onNotification);

  const decoder = new FrameDecoder(options.maxFrameBytes ?? MAX_FRAME_BYTES);
  link.on('data', (chunk: Buffer) => {
    lastHeard = Date.now();
    let messages: unknown[];
    try {
      messages = decoder.push(chunk);
    } catch (e) {
      options.log(`bad frame from the kernel: ${(e as Error).message}`);
      cleanup('bad frame from the kernel');
      return;
    }
    for (const raw of messages) {
      if (closed) return;
      const msg = raw as Partial<CdpCommandMessage>;
      if (typeof msg !== 'object' || msg === null || typeof msg.method !== 'string') continue;
      if (msg.method === AGENT_PING && msg.id === undefined) {
        if (options.keepaliveTimeoutMs && options.keepaliveTimeoutMs > 0) armKeepalive(options.keepaliveTimeoutMs);
        continue;
      }
      if (typeof msg.id !== 'number') continue;
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
