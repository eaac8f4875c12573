// The DAP adapter behind `debug_request`: dispatches each request to its handler and always
// answers — unknown commands, bad arguments and target failures become success:false with a
// readable message and the body keys clients dereference. Owns the seq counter for everything
// it emits and the `initialized` event timing.

import type { DapEvent, DapRequest, DapResponse, DebuggerDeps, IDebugger } from './api';
import { CdpError } from '../targets/cdpClient';
import { RunnerTarget } from '../targets/runnerTarget';
import { logger } from '../common/log';
import { UserError } from './errors';
import { runnerBusyUntil } from './evaluate';
import type { HandlerContext } from './handlers/context';
import { FAILURE_BODIES, HANDLERS, isCommand } from './handlers/table';
import type { DapArgs, DapCommand, DapEvents } from './protocol';
import { AttachManager } from './attach/manager';
import { DebugSession } from './session';

const log = logger('dap');

/**
 * Requests that never change the debuggee: a paused thread's prefetched variables stay valid
 * across them. Any other request may (an evaluation, setVariable, a step) and drops them.
 */
const READ_ONLY: ReadonlySet<string> = new Set(['stackTrace', 'scopes', 'variables', 'threads', 'debugInfo', 'dumpCell', 'source', 'loadedSources', 'modules', 'exceptionInfo', 'breakpointLocations']);

/** If a client waits for `initialized` before attaching, send it anyway after this delay. */
const INITIALIZED_FALLBACK_MS = 300;

/** Time for the runner's SIGINT watchdog thread to arm V8's termination before we resume. */
const SIGINT_SETTLE_MS = 30;

/**
 * After an interrupt delivered while paused, the cell unwinds on resume. Where Node's vm manages
 * SIGINT itself (a Node whose internals runner/sigint.ts cannot use, with cells' SIGINT listeners
 * or without the kept watchdog) it leaves SIGINT at its default disposition (exit) for a moment as a
 * `breakOnSigint` run ends: a second SIGINT from the runtime's interrupt retries landing then
 * kills the runner (variables lost). The runtime holds its signals while this window is open.
 */
const SIGNALLED_QUIET_MS = 1000;

export class DebugAdapter implements IDebugger {
  private seq = 1;
  private readonly session: DebugSession;
  private readonly attach: AttachManager;
  private initializedPending = false;
  private initializedTimer?: NodeJS.Timeout;
  private interruptTimer?: NodeJS.Timeout;
  /** Pending end of the skip-all-pauses window opened by an interrupt. */
  private unskip?: () => Promise<void>;
  private readonly stopRecordListener: () => void;
  private readonly ctx: HandlerContext;
  /** Epoch ms until which the runtime must not signal the runner again (see SIGNALLED_QUIET_MS). */
  private signalledUntil = 0;

  constructor(private readonly deps: DebuggerDeps) {
    this.session = new DebugSession(deps.cells, deps.language, (event, body) => this.sendEvent(event, body));
    this.attach = new AttachManager(this.session);
    this.ctx = {
      session: this.session,
      attach: this.attach,
      deps,
      sendInitialized: () => this.sendInitialized(),
      scheduleInitialized: () => this.scheduleInitialized(),
    };
    this.stopRecordListener = deps.cells.onRecord(() => {
      if (this.unskip) this.session.track(this.unskip());
    });
    deps.onRunner((link) => {
      log.debug(`runner link (pid ${link.pid})`);
      const runner = new RunnerTarget(link.stream, link.pid);
      this.session.addTarget(runner);
      this.attach.watchRunner(runner);
    });
  }

  async handleRequest(request: DapRequest): Promise<DapResponse> {
    const command = typeof request?.command === 'string' ? request.command : '';
    const requestSeq = typeof request?.seq === 'number' ? request.seq : 0;
    if (!isCommand(command)) return this.response(requestSeq, command, false, {}, command ? `Unsupported debug request '${command}'` : 'Missing command');
    if (!READ_ONLY.has(command)) for (const t of this.session.allThreads()) t.pause?.store.dropPrefetched();
    try {
      const body = await this.dispatch(command, request.arguments);
      return this.response(requestSeq, command, true, body ?? {});
    } catch (e) {
      const message = e instanceof UserError ? e.message : e instanceof CdpError ? `Debugger error: ${e.message}` : `Internal error: ${(e as Error)?.message ?? String(e)}`;
      if (!(e instanceof UserError)) log.warn(`${command} failed`, e);
      return this.response(requestSeq, command, false, FAILURE_BODIES[command] ?? {}, message);
    }
  }

  private dispatch<K extends DapCommand>(command: K, args: unknown): Promise<unknown> {
    const handler = HANDLERS[command];
    return handler(this.ctx, args as DapArgs<K>);
  }

  ready(): Promise<void> {
    return this.session.ready();
  }

  isStopped(): boolean {
    return !!this.session.notebook()?.pause;
  }

  runnerBusyUntil(): number {
    return Math.max(runnerBusyUntil(), this.signalledUntil);
  }

  async onInterrupt(): Promise<void> {
    const thread = this.session.notebook();
    if (!thread?.pause) return;
    // Deliver SIGINT *before* resuming: the vm's breakOnSigint watchdog arms V8's termination
    // while the thread is paused, so the cell ends with an error on resume. Resuming first lets
    // the rest of the cell (often microseconds) finish before the runtime's SIGINT arrives.
    const pid = thread.target.pid;
    let signalled = false;
    if (thread.id === 1 && pid) {
      try {
        process.kill(pid, 'SIGINT');
        signalled = true;
        // The watchdog thread must see the signal before the main thread runs again; on a
        // loaded machine its wake-up can lag behind our resume round trip.
        await new Promise((r) => setTimeout(r, SIGINT_SETTLE_MS));
      } catch {
        /* the runner is gone: nothing to resume either */
      }
    }
    // Let the interrupt land instead of re-hitting a breakpoint on the way out; pauses come back
    // after a grace period or, at the latest, before the next cell runs (so its breakpoints hit).
    await thread.cdp.send('Debugger.setSkipAllPauses', { skip: true }).catch(() => undefined);
    if (signalled) this.signalledUntil = Date.now() + SIGNALLED_QUIET_MS;
    await thread.resume().catch(() => undefined);
    if (signalled) this.signalledUntil = Date.now() + SIGNALLED_QUIET_MS;
    clearTimeout(this.interruptTimer);
    const unskip = (): Promise<void> => {
      clearTimeout(this.interruptTimer);
      this.unskip = undefined;
      return thread.cdp.isClosed
        ? Promise.resolve()
        : thread.cdp.send('Debugger.setSkipAllPauses', { skip: false }).then(
            () => undefined,
            () => undefined,
          );
    };
    this.unskip = unskip;
    this.interruptTimer = setTimeout(() => void unskip(), 500);
    this.interruptTimer.unref();
  }

  async dispose(): Promise<void> {
    clearTimeout(this.initializedTimer);
    clearTimeout(this.interruptTimer);
    this.stopRecordListener();
    // Attached processes are detached first (breakpoints removed, resumed) and keep running.
    await this.attach.dispose().catch((e) => log.warn('detaching attached processes failed', e));
    await this.session.detachAll().catch(() => undefined);
    this.session.dispose();
  }

  private response(requestSeq: number, command: string, success: boolean, body: unknown, message?: string): DapResponse {
    return { seq: this.seq++, type: 'response', request_seq: requestSeq, success, command, ...(message ? { message } : {}), body };
  }

  private sendEvent<E extends keyof DapEvents>(event: E, body: DapEvents[E]): void {
    const e: DapEvent = { seq: this.seq++, type: 'event', event, ...(body !== undefined ? { body } : {}) };
    try {
      this.deps.emit(e);
    } catch (err) {
      log.error(`emitting ${event} failed`, err);
    }
  }

  private scheduleInitialized(): void {
    this.initializedPending = true;
    clearTimeout(this.initializedTimer);
    this.initializedTimer = setTimeout(() => this.sendInitialized(), INITIALIZED_FALLBACK_MS);
    this.initializedTimer.unref();
  }

  private sendInitialized(): void {
    clearTimeout(this.initializedTimer);
    if (!this.initializedPending) return;
    this.initializedPending = false;
    this.sendEvent('initialized', undefined);
  }
}
