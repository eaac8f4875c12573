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
//
// Frames produced in one turn of the worker's event loop (a command's reply with the resumed and
// paused events right behind it, the scriptParsed burst of Debugger.enable) leave in one write:
// one syscall and one wake-up of the kernel instead of one per message.

import type * as inspector from 'node:inspector';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
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
  /**
   * Scripts the kernel never shows (the host's own code, Node's internals): their scriptParsed
   * events are not relayed (Debugger.enable replays one per loaded script, hundreds in a runner,
   * and the kernel treats a script it never heard of as hidden anyway), and a pause's frames in
   * them go without their scopes (most of a pause's size: the kernel never shows those frames).
   */
  skipScript?(url: string): boolean;
}

export interface Relay {
  send(message: object): void;
  close(reason: string): void;
}

/** The sourceURL suffix of the kernel's own evaluations (debugger/scripts.ts INTERNAL_URL_SUFFIX). */
export const INTERNAL_SCRIPT_SUFFIX = '.tskernel-internal';

/**
 * Which script URLs are host code for a kernel hiding `hiddenPaths`: Node's internals, the
 * kernel's evaluations, files under those paths. The kernel's own rule (debugger/thread.ts), so
 * a relay skipping these leaves out only scripts the kernel would hide.
 */
export function hiddenScriptFilter(hiddenPaths: readonly string[]): (url: string) => boolean {
  return (url) => {
    if (url.startsWith('node:') || url.endsWith(INTERNAL_SCRIPT_SUFFIX)) return true;
    let path = url;
    if (url.startsWith('file://')) {
      try {
        path = fileURLToPath(url);
      } catch {
        return false;
      }
    }
    return !!path && hiddenPaths.some((p) => path.startsWith(p));
  };
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

interface PausedParams {
  callFrames?: { location?: { scriptId?: string }; scopeChain?: unknown[]; this?: unknown; returnValue?: unknown }[];
}

/** A pause with the frames in `hidden` scripts stripped of their scopes, `this` and return value. */
function withoutHiddenScopes(params: PausedParams, hidden: ReadonlySet<string>): PausedParams {
  if (!Array.isArray(params?.callFrames)) return params;
  const callFrames = params.callFrames.map((cf) => {
    if (!hidden.has(String(cf?.location?.scriptId))) return cf;
    const { returnValue: _r, ...rest } = cf;
    return { ...rest, scopeChain: [], this: { type: 'undefined' } };
  });
  return { ...params, callFrames };
}

export function runRelay(link: Duplex, session: inspector.Session, options: RelayOptions): Relay {
  let closed = false;
  let keepaliveTimer: NodeJS.Timeout | undefined;
  let lastHeard = Date.now();
  let outbox: Buffer[] = [];
  const flush = (): void => {
    const frames = outbox;
    outbox = [];
    if (closed || link.destroyed || !frames.length) return;
    link.write(frames.length === 1 ? frames[0] : Buffer.concat(frames));
  };
  const send = (message: object): void => {
    if (closed || link.destroyed) return;
    // Flushed in this loop turn's check phase, after every message the inspector delivered in it.
    if (outbox.push(encodeFrame(message)) === 1) setImmediate(flush);
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

  const skipScript = options.skipScript;
  /** Ids of the scripts skipped so far. */
  const skipped = new Set<string>();
  const onNotification = (note: { method: string; params?: unknown }): void => {
    if (skipScript && note.method === 'Debugger.scriptParsed') {
      const p = note.params as { url?: unknown; scriptId?: unknown } | undefined;
      if (skipScript(String(p?.url ?? ''))) {
        skipped.add(String(p?.scriptId));
        return;
      }
    } else if (skipped.size && note.method === 'Debugger.paused') {
      note = { method: note.method, params: withoutHiddenScopes(note.params as PausedParams, skipped) };
    }
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
