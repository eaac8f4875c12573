// Kernel side of an authenticated agent link: an ITransport (targets/transport.ts) over the TLS
// socket, so CdpClient drives a remote agent exactly like the runner's pipe. Everything from the
// target is untrusted: frames are size-capped, messages shape-checked, inbound bytes throttled
// (the socket is paused, so TCP pushes back on a flooding target) and forwarded output is
// rate-limited and cleaned. A protocol violation drops the link with a reason; the agent then
// removes its breakpoints and resumes the target. The link sends `Agent.ping` every
// PING_INTERVAL_MS: an agent that stops hearing from us (a frozen kernel, a cut network) releases
// the target after its keepalive timeout (agent/relay.ts).

import type * as tls from 'node:tls';
import { encodeFrame, FrameDecoder } from '../link/framing';
import { AGENT_PING } from '../link/protocol';
import { logger } from '../common/log';
import type { ITransport } from './transport';
import { cleanText } from '../link/handshake';
import { within } from '../common/deadline';
import { OutputLimiter } from './outputLimiter';

const log = logger('targets');

export interface AgentLinkLimits {
  /** Largest frame accepted from the target. */
  maxFrameBytes: number;
  /** Inbound bytes per second before the socket is paused until the next second. */
  maxInboundBytesPerSecond: number;
  /** Forwarded stdout/stderr bytes per second; the excess is dropped and counted. */
  maxOutputBytesPerSecond: number;
  /** Messages that are neither CDP replies nor events, tolerated before the link is dropped. */
  maxInvalidMessages: number;
}

export const DEFAULT_LINK_LIMITS: AgentLinkLimits = {
  maxFrameBytes: 64 * 1024 * 1024,
  maxInboundBytesPerSecond: 64 * 1024 * 1024,
  maxOutputBytesPerSecond: 256 * 1024,
  maxInvalidMessages: 100,
};

/** How often the kernel pings the agent; agents time out after 15 s by default (agent/remote.ts). */
export const PING_INTERVAL_MS = 2000;
const PING_FRAME = encodeFrame({ method: AGENT_PING });

/** Messages kept for the first listener (an agent waiting to be attached only sends Agent.hello). */
const MAX_EARLY_MESSAGES = 16;

export interface TargetOutput {
  stream: 'stdout' | 'stderr';
  text: string;
}

export class AgentLink implements ITransport {
  private readonly messageListeners: ((m: unknown) => void)[] = [];
  /** Messages that arrived before anyone listened (the agent's Agent.hello while it waits to be taken). */
  private early: unknown[] = [];
  private readonly closeListeners: (() => void)[] = [];
  private readonly outputListeners: ((o: TargetOutput) => void)[] = [];
  private readonly decoder: FrameDecoder;
  private closed = false;
  private markSpoken: () => void = () => undefined;
  /** Resolves when the agent sent its first message (its Agent.hello: its inspector session is up). */
  private readonly spoken = new Promise<void>((r) => (this.markSpoken = r));
  private reason: string | undefined;
  private invalid = 0;
  private windowStart = Date.now();
  private inboundInWindow = 0;
  private readonly output: OutputLimiter;
  private warnedDropped = 0;
  private resumeTimer: NodeJS.Timeout | undefined;
  private readonly pingTimer: NodeJS.Timeout;

  constructor(
    private readonly socket: tls.TLSSocket,
    readonly limits: AgentLinkLimits = DEFAULT_LINK_LIMITS,
  ) {
    this.decoder = new FrameDecoder(limits.maxFrameBytes);
    this.output = new OutputLimiter(limits.maxOutputBytesPerSecond);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.markClosed(this.reason ?? 'the target closed the link'));
    socket.on('error', (e) => this.markClosed(`link error: ${e.message}`));
    socket.resume();
    // The first ping arms the agent's keepalive; then one every interval, also while the agent
    // waits to be attached. A timer never keeps the kernel alive.
    this.ping();
    this.pingTimer = setInterval(() => this.ping(), PING_INTERVAL_MS);
    this.pingTimer.unref();
  }

  /** Why the link closed (undefined while open). */
  get closeReason(): string | undefined {
    return this.closed ? this.reason : undefined;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Output bytes dropped by the rate limit so far. */
  get droppedOutput(): number {
    return this.output.dropped;
  }

  send(message: object): void {
    if (!this.closed) this.socket.write(encodeFrame(message));
  }

  private ping(): void {
    if (!this.closed && !this.socket.destroyed) this.socket.write(PING_FRAME);
  }

  onMessage(listener: (message: unknown) => void): void {
    this.messageListeners.push(listener);
    if (!this.early.length) return;
    // Deliver after the caller finished wiring up (CdpClient registers its event listeners next).
    const early = this.early.splice(0);
    queueMicrotask(() => {
      for (const m of early) this.deliver(m);
    });
  }

  onOutput(listener: (output: TargetOutput) => void): void {
    this.outputListeners.push(listener);
  }

  /** True once the agent has said something (its session is connected), false on timeout or close. */
  async ready(timeoutMs: number): Promise<boolean> {
    const closed = new Promise<boolean>((r) => this.onClose(() => r(false)));
    return (await within(Promise.race([this.spoken.then(() => true), closed]), timeoutMs)) ?? false;
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  close(reason = 'detached by the notebook'): void {
    if (!this.reason) this.reason = reason;
    this.socket.destroy();
    this.markClosed(reason);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.rollWindow();
    this.inboundInWindow += chunk.length;
    let messages: unknown[];
    try {
      messages = this.decoder.push(chunk);
    } catch (e) {
      return this.drop(`the target sent a bad frame (${(e as Error).message})`);
    }
    for (const m of messages) {
      if (this.closed) return;
      this.dispatch(m);
    }
    if (this.inboundInWindow > this.limits.maxInboundBytesPerSecond && !this.resumeTimer) {
      // Backpressure instead of buffering: stop reading until the window rolls over.
      this.socket.pause();
      const wait = Math.max(1, this.windowStart + 1000 - Date.now());
      this.resumeTimer = setTimeout(() => {
        this.resumeTimer = undefined;
        if (!this.closed) this.socket.resume();
      }, wait);
      this.resumeTimer.unref();
    }
  }

  private dispatch(m: unknown): void {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return this.countInvalid('not an object');
    const msg = m as { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: unknown };
    if (msg.id !== undefined) {
      if (typeof msg.id !== 'number' || !Number.isSafeInteger(msg.id)) return this.countInvalid('non-numeric id');
      if (msg.error !== undefined && (typeof msg.error !== 'object' || msg.error === null)) return this.countInvalid('bad error');
    } else if (typeof msg.method !== 'string' || msg.method.length > 128) {
      return this.countInvalid('neither a reply nor an event');
    } else if (msg.method === 'Agent.output') {
      return this.forwardOutput(msg.params);
    }
    this.markSpoken();
    if (!this.messageListeners.length) {
      if (this.early.length < MAX_EARLY_MESSAGES) this.early.push(m);
      return;
    }
    this.deliver(m);
  }

  private deliver(m: unknown): void {
    for (const l of this.messageListeners) {
      try {
        l(m);
      } catch (e) {
        log.error('agent link listener threw', e);
      }
    }
  }

  private forwardOutput(params: unknown): void {
    const p = (typeof params === 'object' && params !== null ? params : {}) as { stream?: unknown; text?: unknown };
    if ((p.stream !== 'stdout' && p.stream !== 'stderr') || typeof p.text !== 'string') return this.countInvalid('bad Agent.output');
    // Within the per-second budget; newlines and tabs kept, other control characters replaced.
    const clean = this.output.admit(p.text);
    if (clean === undefined) return;
    for (const l of this.outputListeners) l({ stream: p.stream, text: clean });
  }

  private countInvalid(what: string): void {
    this.invalid++;
    if (this.invalid > this.limits.maxInvalidMessages) this.drop(`the target sent ${this.invalid} invalid messages (last: ${what})`);
  }

  private rollWindow(): void {
    const now = Date.now();
    if (now - this.windowStart < 1000) return;
    if (this.output.dropped > this.warnedDropped) {
      this.warnedDropped = this.output.dropped;
      log.warn(`target output over ${this.limits.maxOutputBytesPerSecond} B/s: ${this.output.dropped} bytes dropped so far`);
    }
    this.windowStart = now;
    this.inboundInWindow = 0;
  }

  private drop(reason: string): void {
    log.warn(`dropping agent link: ${reason}`);
    this.close(cleanText(reason, 300));
  }

  private markClosed(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.reason) this.reason = reason;
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    clearInterval(this.pingTimer);
    for (const l of this.closeListeners.splice(0)) l();
  }
}
