// Adapter-wide state that outlives targets and client connections: whether a client started the
// debugger, the breakpoints per source, the exception filters, and the threads (thread 1 = the
// notebook runner, replaced on every runner restart: re-attached, breakpoints re-applied).

import type { CellFiles } from '../common/cellFiles';
import { logger } from '../common/log';
import type { ITarget } from '../targets/target';
import { BreakpointModel } from './breakpoints/model';
import { UserError } from './errors';
import { type ExceptionMode } from './exceptions';
import type { DapEvents } from './protocol';
import { Thread } from './thread';
import { within } from '../common/deadline';

const log = logger('dap');

/** How long a cell waits for a restarted runner's link before running without breakpoints. */
const RUNNER_RELINK_MS = 10000;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export class DebugSession {
  readonly model = new BreakpointModel();
  /** initialize/attach happened and no disconnect since. */
  started = false;
  exceptionFilters: string[] = [];
  mode: ExceptionMode = 'none';
  private readonly threads = new Map<number, Thread>();
  /** Target work in flight that a cell run should wait for (re-attaches, breakpoint re-placement). */
  private inFlight = new Set<Promise<void>>();
  private readonly stopListening: () => void;
  /** Set while thread 1's runner is dead and its replacement has not linked up yet. */
  private runnerGone: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(
    readonly cells: CellFiles,
    readonly language: 'typescript' | 'javascript',
    private readonly emitEvent: <E extends keyof DapEvents>(event: E, body: DapEvents[E]) => void,
  ) {
    // A cell is about to run with a (new) source map: move its breakpoints through the map first.
    this.stopListening = cells.onRecord((rec) => {
      const bps = this.model.forPath(rec.path);
      if (!bps.length) return;
      for (const t of this.allThreads()) if (t.isAttached) this.track(t.binder.refreshPath(rec.path, bps));
    });
  }

  /** Work the next cell run must wait for (IDebugger.ready resolves after it). */
  track(p: Promise<unknown>): void {
    const q = p.then(
      () => undefined,
      (e) => log.warn('target update failed', e),
    );
    this.inFlight.add(q);
    void q.finally(() => this.inFlight.delete(q));
  }

  emit<E extends keyof DapEvents>(event: E, body: DapEvents[E]): void {
    this.emitEvent(event, body);
  }

  /** A (new) target for a thread id: replaces the previous one, attaching if a client is attached. */
  addTarget(target: ITarget): void {
    const old = this.threads.get(target.threadId);
    if (old) old.target.close();
    const thread = new Thread(target, {
      cells: this.cells,
      model: this.model,
      emit: (e, b) => this.emit(e, b),
      exceptionMode: () => this.mode,
      isOnlyThread: () => this.threads.size === 1,
    });
    this.threads.set(target.threadId, thread);
    target.onClose(() => {
      if (this.threads.get(target.threadId) !== thread) return;
      if (target.threadId !== 1) this.threads.delete(target.threadId);
      else this.runnerGone ??= deferred();
    });
    if (this.started) this.track(thread.attach());
    else if (target.threadId === 1) thread.prewarm();
    if (target.threadId === 1 && this.runnerGone) {
      this.runnerGone.resolve();
      this.runnerGone = undefined;
    }
  }

  /**
   * Resolves when no target work is in flight. After the runner died, a cell must not run on
   * the fresh runner before it is attached with the breakpoints: wait (bounded) for its link.
   */
  async ready(): Promise<void> {
    const gone = this.runnerGone;
    if (this.started && gone) {
      await within(gone.promise, RUNNER_RELINK_MS);
    }
    await this.settled();
  }

  /** Resolves when no target work (attaching, re-placing breakpoints) is in flight. */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  allThreads(): Thread[] {
    return [...this.threads.values()];
  }

  /** Thread 1 (the notebook), if the runner is up. */
  notebook(): Thread | undefined {
    return this.threads.get(1);
  }

  thread(threadId: number | undefined): Thread {
    const t = this.threads.get(threadId ?? 1) ?? (threadId === undefined ? undefined : undefined);
    if (!t) throw new UserError(threadId === undefined || threadId === 1 ? 'The notebook runner is not available' : `Unknown thread ${threadId}`);
    return t;
  }

  /** The thread owning a frame id, or an error naming the problem. */
  frameOwner(frameId: number): Thread {
    for (const t of this.threads.values()) if (t.frame(frameId) || t.isAsyncFrame(frameId)) return t;
    throw new UserError(`Unknown or expired frameId ${frameId}`);
  }

  /** Paused threads, the most recent stop first (JupyterLab shows the first one after a reload). */
  stoppedThreads(): number[] {
    return this.allThreads()
      .filter((t) => t.pause)
      .sort((a, b) => b.pause!.order - a.pause!.order)
      .map((t) => t.id);
  }

  async attachAll(): Promise<void> {
    this.started = true;
    await Promise.all(this.allThreads().map((t) => t.attach()));
  }

  async detachAll(): Promise<void> {
    this.started = false;
    this.model.clear();
    this.exceptionFilters = [];
    this.mode = 'none';
    await Promise.all(this.allThreads().map((t) => t.detach().catch((e) => log.warn(`detaching thread ${t.id} failed`, e))));
  }

  dispose(): void {
    this.stopListening();
    for (const t of this.threads.values()) t.target.close();
    this.threads.clear();
  }
}
