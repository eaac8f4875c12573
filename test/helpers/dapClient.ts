// A DAP client over Jupyter messages, shaped like JupyterLab's DebuggerSession: each request is a
// `debug_request` on control with an incrementing seq; the reply content is returned once both
// the `debug_reply` and the IOPub idle parented to it have arrived (what JupyterLab's future
// waits for). `debug_event`s are collected from IOPub and can be awaited with a deadline.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { jlabInitializeArgs } from '../fixtures/jupyterWire.cjs';
import { type KernelClient, withTimeout, type Msg } from './kernelClient';

export interface DapReply<B = any> {
  seq: number;
  type: 'response';
  request_seq: number;
  command: string;
  success: boolean;
  message?: string;
  body: B;
}

export interface DapEventMsg {
  seq: number;
  type: 'event';
  event: string;
  body?: any;
}

// JupyterLab's `initialize` arguments: shared with the bench clients.
export { jlabInitializeArgs };

export class DapClient {
  private seq = 0;
  /** Every request/reply/event in arrival order (for golden transcripts). */
  readonly log: Array<{ kind: 'request' | 'response' | 'event'; content: any }> = [];
  private logged = 0;

  constructor(readonly kc: KernelClient) {}

  /** Appends the events received since the last flush to the log (IOPub order). */
  flushEvents(): void {
    const all = this.events();
    for (; this.logged < all.length; this.logged++) this.log.push({ kind: 'event', content: all[this.logged] });
  }

  /** All debug events received so far. */
  events(): DapEventMsg[] {
    return this.kc.iopubAll.filter((m) => m.header.msg_type === 'debug_event').map((m) => m.content as DapEventMsg);
  }

  /** A cursor: pass to waitEvent to only match events arriving after this point. */
  mark(): number {
    return this.events().length;
  }

  /** Sends a request like JupyterLab; resolves with the reply content after reply + idle. */
  async request<B = any>(command: string, args?: object, opts: { seq?: number; timeoutMs?: number } = {}): Promise<DapReply<B>> {
    const content: Record<string, unknown> = { type: 'request', seq: opts.seq ?? this.seq++, command };
    if (args !== undefined) content.arguments = args;
    this.flushEvents();
    this.log.push({ kind: 'request', content });
    const timeout = opts.timeoutMs ?? 15000;
    const { msgId, reply } = this.kc.send('control', 'debug_request', content);
    const r = await withTimeout(reply, timeout, `debug_reply to ${command}`);
    await this.kc.waitIdle(msgId, timeout);
    this.log.push({ kind: 'response', content: r.content });
    return r.content as DapReply<B>;
  }

  /** Like request, but fails the test unless success is true; returns the body. */
  async ok<B = any>(command: string, args?: object): Promise<B> {
    const r = await this.request<B>(command, args);
    if (!r.success) throw new Error(`${command} failed: ${r.message}`);
    return r.body;
  }

  /** Sends without waiting (for back-to-back requests); returns the msg id and the reply. */
  sendOnly(command: string, args?: object): { msgId: string; reply: Promise<Msg> } {
    const content: Record<string, unknown> = { type: 'request', seq: this.seq++, command };
    if (args !== undefined) content.arguments = args;
    return this.kc.send('control', 'debug_request', content);
  }

  /** Waits for a debug_event named `event` (after cursor `from`, default: any time). */
  async waitEvent(event: string, from = 0, timeoutMs = 15000, pred: (e: DapEventMsg) => boolean = () => true): Promise<DapEventMsg> {
    const have = this.events()
      .slice(from)
      .find((e) => e.event === event && pred(e));
    if (have) return have;
    const m = await this.kc.waitIopub(
      (msg) => msg.header.msg_type === 'debug_event' && msg.content.event === event && pred(msg.content as DapEventMsg) && this.events().indexOf(msg.content as DapEventMsg) >= from,
      timeoutMs,
      `debug_event ${event}`,
    );
    return m.content as DapEventMsg;
  }

  /** JupyterLab's enable sequence (4.5+): debugInfo(seq 0, no args), debugInfo {}, initialize, attach. */
  async start(kernelName = 'typescript'): Promise<any> {
    await this.request('debugInfo', undefined, { seq: 0 });
    await this.ok('debugInfo', {});
    const caps = await this.ok('initialize', jlabInitializeArgs(kernelName));
    await this.ok('attach', {});
    return caps;
  }

  /** JupyterLab's toggle-breakpoint sequence: dumpCell, debugInfo, setBreakpoints. */
  async setCellBreakpoints(code: string, lines: Array<number | DebugProtocol.SourceBreakpoint>): Promise<{ path: string; breakpoints: DebugProtocol.Breakpoint[] }> {
    const { sourcePath } = await this.ok<{ sourcePath: string }>('dumpCell', { code });
    await this.ok('debugInfo', {});
    const bps = lines.map((l) => (typeof l === 'number' ? { line: l } : l));
    const body = await this.ok<{ breakpoints: DebugProtocol.Breakpoint[] }>('setBreakpoints', { breakpoints: bps, source: { path: sourcePath }, sourceModified: false });
    return { path: sourcePath, breakpoints: body.breakpoints };
  }

  /** What JupyterLab does on `stopped`: stackTrace, scopes of frame 0, variables of every scope. */
  async inspectStop(threadId = 1): Promise<{ frames: DebugProtocol.StackFrame[]; scopes: DebugProtocol.Scope[]; vars: Record<string, DebugProtocol.Variable[]> }> {
    const { stackFrames } = await this.ok<{ stackFrames: DebugProtocol.StackFrame[] }>('stackTrace', { threadId });
    const { scopes } = await this.ok<{ scopes: DebugProtocol.Scope[] }>('scopes', { frameId: stackFrames[0].id });
    const vars: Record<string, DebugProtocol.Variable[]> = {};
    for (const s of scopes) vars[s.name] = (await this.ok<{ variables: DebugProtocol.Variable[] }>('variables', { variablesReference: s.variablesReference })).variables;
    return { frames: stackFrames, scopes, vars };
  }

  /**
   * For afterEach in files that share one kernel: no breakpoint or exception filter stays set and
   * no thread stays paused. A test that failed while stopped would otherwise leave the runner
   * paused, and every later cell queued behind it. Breakpoints go first, so a resumed cell runs to
   * its end. Whether the debugger is started is left as it was; a kernel that ended is skipped.
   */
  async releaseAll(): Promise<void> {
    if (this.kc.proc.exitCode !== null || this.kc.proc.signalCode !== null) return;
    const info = await this.ok<{ isStarted: boolean; breakpoints: { source: string }[]; stoppedThreads: number[] }>('debugInfo', {});
    if (!info.isStarted) return;
    for (const b of info.breakpoints) await this.ok('setBreakpoints', { source: { path: b.source }, breakpoints: [], sourceModified: false });
    await this.ok('setExceptionBreakpoints', { filters: [] });
    for (const threadId of info.stoppedThreads) await this.request('continue', { threadId });
  }

  /**
   * Puts the kernel's attach state back to what a new test expects (for afterEach, so a test that
   * failed half-way leaves nothing behind): every attached process detached (it keeps running, a
   * paused one is resumed) and the attach listener closed. Nothing to do is fine; a kernel that
   * already ended is skipped.
   */
  async resetAttach(): Promise<void> {
    if (this.kc.proc.exitCode !== null || this.kc.proc.signalCode !== null) return;
    const { attached } = await this.ok<{ attached: { threadId: number; parentThreadId?: number }[] }>('listTargets', { scanProcesses: false, ports: [] });
    // A process's worker threads go with it; one that went away meanwhile is not an error here.
    for (const t of attached) if (t.parentThreadId === undefined) await this.request('detachTarget', { threadId: t.threadId });
    await this.ok('listen', { stop: true });
  }

  /** Disconnects like JupyterLab's bug-button-off. */
  async stop(): Promise<void> {
    await this.request('disconnect', { restart: false, terminateDebuggee: false });
  }
}

/** Finds a variable by name or throws a readable error. */
export function varNamed(vars: DebugProtocol.Variable[], name: string): DebugProtocol.Variable {
  const v = vars.find((x) => x.name === name);
  if (!v) throw new Error(`no variable ${name} in [${vars.map((x) => x.name).join(', ')}]`);
  return v;
}
