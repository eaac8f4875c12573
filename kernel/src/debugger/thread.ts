// One debugged JavaScript thread (a target): attach/detach of the Debugger domain, the pause state
// machine (stopped on every pause we keep, continued on every resume), stepping, and the
// per-pause frame and variable stores. Host code is blackboxed so stepping never enters it.
// Once a client asks for a stop's stack, the top frame's variables are read at once: it asks for
// them next (JupyterLab always does), and then they are ready or on their way.

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Protocol } from 'devtools-protocol';
import { pathToFileURL } from 'node:url';
import type { CellFiles } from '../common/cellFiles';
import { logger } from '../common/log';
import { within } from '../common/deadline';
import type { ITarget } from '../targets/target';
import { BreakpointBinder } from './breakpoints/binder';
import type { BreakpointModel, UserBreakpoint } from './breakpoints/model';
import { CatchPredictor, type ExceptionMode } from './exceptions';
import type { DapEvents } from './protocol';
import { targetFileReader } from './mapReader';
import { InstrumentationBreakpoint } from './instrumentation';
import { ScriptMaps } from './scriptMaps';
import { escapeRegex, INTERNAL_URL_SUFFIX, ScriptRegistry, urlToPath } from './scripts';
import { buildAsyncFrames, buildFrames, type FrameInfo } from './stack';
import { UserError } from './errors';
import { frameScopes } from './scopes';
import { PAUSE_OBJECT_GROUP, VariableStore } from './variables/store';

const log = logger('dap');

export interface ThreadDeps {
  cells: CellFiles;
  model: BreakpointModel;
  emit<E extends keyof DapEvents>(event: E, body: DapEvents[E]): void;
  exceptionMode(): ExceptionMode;
  /** No other thread exists (then a stop or resume is one of "all threads"). */
  isOnlyThread(): boolean;
}

export interface PauseState {
  event: Protocol.Debugger.PausedEvent;
  reason: string;
  frames: FrameInfo[];
  store: VariableStore;
  /** A `stopped` event went out (so a `continued` must follow on resume). */
  reported: boolean;
  /** Increases with every pause of any thread: orders the stopped threads. */
  order: number;
  /** Async parent frames (labels and frames without scopes), after `frames` in stackTrace. */
  asyncFrames: DebugProtocol.StackFrame[];
  /** Scopes per frame id, made on first use (the same references for every request). */
  scopes: Map<number, DebugProtocol.Scope[]>;
  /** The top frame's variables were prefetched (once per pause). */
  prefetched?: boolean;
}

let pauseGeneration = 0;

/** Upper bound on waiting for `Debugger.resumed` after a resume command succeeded. */
const RESUMED_EVENT_WAIT_MS = 2000;

export class Thread {
  readonly scripts: ScriptRegistry;
  /** Source maps of the target's own files (compiled TypeScript): breakpoints and stacks go through them. */
  readonly maps: ScriptMaps;
  /** Per script with a source map: loading it and re-placing the breakpoints of its sources. */
  private readonly mapWork = new Map<string, Promise<void>>();
  /** Reads a file as the target sees it (locally, or through the target when it runs elsewhere). */
  readonly readFile: (path: string) => Promise<string | undefined>;
  readonly binder: BreakpointBinder;
  private attached = false;
  private paused?: PauseState;
  private expect?: 'step' | 'pause';
  private asyncStacks = false;
  /**
   * Async stack traces cost a busy server ~4x its throughput. The notebook keeps them on while it
   * has breakpoints; an attached process gets them only from its first stop until `continue`, so
   * a service with the debugger attached but not stopped runs at full speed.
   */
  private readonly asyncStacksWhileRunning: boolean;
  private readonly predictor: CatchPredictor;
  private inspectStores: VariableStore[] = [];
  private inspectGeneration = 0;
  /** Callers of resume() waiting for the target to report that it left the pause. */
  private resumeWaiters: Array<() => void> = [];
  private readonly instrumentation: InstrumentationBreakpoint;
  /** A warm-up enable/disable of the Debugger domain in flight (see prewarm). */
  private warming?: Promise<void>;
  /** Debugger is enabled by the warm-up only (no client): pauses are not ours to report. */
  private warmingNow = false;

  constructor(
    readonly target: ITarget,
    private readonly deps: ThreadDeps,
  ) {
    this.scripts = new ScriptRegistry((path, url) => this.isHidden(path, url));
    this.asyncStacksWhileRunning = target.threadId === 1;
    this.readFile = targetFileReader(target);
    this.maps = new ScriptMaps(this.readFile);
    this.instrumentation = new InstrumentationBreakpoint(target.cdp);
    this.binder = new BreakpointBinder({ cdp: target.cdp, cells: deps.cells, maps: this.maps, changed: (bp) => this.breakpointChanged(bp) });
    this.predictor = new CatchPredictor(async (scriptId) => (await this.cdp.send('Debugger.getScriptSource', { scriptId })).scriptSource);
    const cdp = target.cdp;
    cdp.on('Debugger.scriptParsed', (ev) => this.onScriptParsed(ev));
    cdp.on('Debugger.paused', (ev) => void this.onPaused(ev).catch((e) => log.error('pause handling failed', e)));
    cdp.on('Debugger.resumed', () => this.onResumed());
    target.onClose(() => this.onClosed());
  }

  get id(): number {
    return this.target.threadId;
  }

  get cdp() {
    return this.target.cdp;
  }

  get isAttached(): boolean {
    return this.attached;
  }

  get pause(): PauseState | undefined {
    return this.paused?.reported ? this.paused : undefined;
  }

  requirePause(): PauseState {
    const p = this.pause;
    if (!p) throw new UserError(`Thread ${this.id} is not paused`);
    return p;
  }

  frame(frameId: number): FrameInfo | undefined {
    return this.pause?.frames.find((f) => f.id === frameId);
  }

  /** An async parent frame of the current pause (no scopes, evaluated globally). */
  isAsyncFrame(frameId: number): boolean {
    return !!this.pause?.asyncFrames.some((f) => f.id === frameId);
  }

  private isHidden(path: string | undefined, url: string): boolean {
    if (url.startsWith('node:') || url.endsWith(INTERNAL_URL_SUFFIX)) return true;
    return !!path && this.target.hiddenPaths().some((p) => path.startsWith(p));
  }

  private blackboxPatterns(): string[] {
    const out = ['^node:', escapeRegex(INTERNAL_URL_SUFFIX) + '$'];
    for (const p of this.target.hiddenPaths()) {
      out.push('^' + escapeRegex(p));
      out.push('^' + escapeRegex(pathToFileURL(p).href));
    }
    return out;
  }

  /**
   * A process's first Debugger.enable costs V8 per-script work (~100 ms for the runner's own code);
   * later ones a few ms. Done once when the debugger loads (JupyterLab asks debugInfo on connect)
   * and disabled at once, so the user's `attach` is quick and cells run undebugged meanwhile.
   */
  prewarm(): void {
    if (this.attached || this.warming) return;
    this.warming = (async () => {
      await this.target.ready();
      if (this.attached || this.cdp.isClosed) return;
      this.warmingNow = true;
      try {
        await this.cdp.send('Debugger.enable', {});
        await this.cdp.send('Debugger.disable');
      } finally {
        this.warmingNow = false;
      }
    })().catch((e) => log.debug(`debugger warm-up failed: ${(e as Error).message}`));
  }

  async attach(): Promise<void> {
    if (this.attached) return;
    await this.warming;
    if (this.attached) return;
    await this.target.ready();
    this.scripts.clear();
    this.maps.clear();
    this.mapWork.clear();
    await this.cdp.send('Debugger.enable', {});
    this.attached = true;
    const bps = this.deps.model.all();
    this.instrumentation.reset();
    await Promise.all([this.cdp.send('Debugger.setBlackboxPatterns', { patterns: this.blackboxPatterns() }), this.applyExceptionMode(), this.updateInstrumentation(), this.binder.update(bps, [])]);
    if (bps.length && this.asyncStacksWhileRunning) await this.enableAsyncStacks();
  }

  /** Removes breakpoints, resumes, and disables the Debugger domain (the target keeps running). */
  async detach(): Promise<void> {
    if (!this.attached || this.cdp.isClosed) {
      this.attached = false;
      return;
    }
    this.attached = false;
    await this.binder.removeAll();
    await Promise.all([
      this.cdp.send('Debugger.setPauseOnExceptions', { state: 'none' }).catch(() => undefined),
      this.paused ? this.cdp.send('Debugger.resume', {}).catch(() => undefined) : undefined,
    ]);
    await this.cdp.send('Debugger.disable').catch(() => undefined);
    this.instrumentation.reset();
    this.asyncStacks = false;
    await this.releaseInspectStores();
    this.onResumed();
  }

  async applyExceptionMode(): Promise<void> {
    if (!this.attached) return;
    // `uncaught` needs every pause: V8 thinks the runner catches everything (see exceptions.ts).
    const state = this.deps.exceptionMode() === 'none' ? 'none' : 'all';
    await this.cdp.send('Debugger.setPauseOnExceptions', { state });
  }

  async updateBreakpoints(added: readonly UserBreakpoint[], removed: readonly UserBreakpoint[]): Promise<void> {
    if (!this.attached) return;
    await Promise.all([this.binder.update(added, removed), this.updateInstrumentation()]);
    if (added.length && this.asyncStacksWhileRunning) await this.enableAsyncStacks();
  }

  /** The instrumentation breakpoint is set while a breakpoint outside the cells exists. */
  private updateInstrumentation(): Promise<void> {
    const cells = this.deps.cells;
    return this.instrumentation.update(this.deps.model.all().some((bp) => !cells.isCellPath(bp.path) && !cells.get(bp.path)));
  }

  private async enableAsyncStacks(): Promise<void> {
    if (this.asyncStacks) return;
    this.asyncStacks = true;
    await this.cdp.send('Debugger.setAsyncCallStackDepth', { maxDepth: 32 }).catch(() => undefined);
  }

  private breakpointChanged(bp: UserBreakpoint): void {
    if (this.deps.model.byId(bp.id) !== bp) return;
    this.deps.emit('breakpoint', { reason: 'changed', breakpoint: { id: bp.id, verified: bp.verified, line: bp.resolvedLine ?? bp.line, source: { path: bp.path } } });
  }

  private async onPaused(ev: Protocol.Debugger.PausedEvent): Promise<void> {
    // A `debugger` statement during the warm-up's moment of Debugger enabled: nobody debugs yet.
    if (this.warmingNow && !this.attached) return void (await this.cdp.send('Debugger.resume', {}).catch(() => undefined));
    if (ev.reason === 'instrumentation') return this.onInstrumentation(ev);
    const frames = buildFrames(ev.callFrames, this.scripts, this.deps.cells, this.maps);
    const expected = this.expect;
    this.expect = undefined;
    // V8 releases this group itself when the thread resumes.
    const store = new VariableStore(this.cdp, PAUSE_OBJECT_GROUP);
    const asyncFrames = buildAsyncFrames(ev.asyncStackTrace, frames, this.scripts, this.deps.cells, this.maps);
    const state: PauseState = { event: ev, reason: 'pause', frames, store, reported: false, order: ++pauseGeneration, asyncFrames, scopes: new Map() };
    this.paused = state;
    const isException = ev.reason === 'exception' || ev.reason === 'promiseRejection' || ev.reason === 'assert';
    // A script we never heard of is host code: the runner's agent does not relay those (agentWorker.ts).
    const visible = ev.callFrames.map((cf) => ({ location: cf.location, visible: this.scripts.get(cf.location.scriptId)?.hidden === false }));
    const nothingVisible = !visible.some((v) => v.visible);
    if (isException) {
      const mode = this.deps.exceptionMode();
      const uncaught = (ev.data as { uncaught?: boolean } | undefined)?.uncaught === true;
      const skip = mode === 'none' || nothingVisible || (mode === 'uncaught' && !uncaught && (await this.predictor.caughtByUser(visible)));
      if (skip) return this.resumeSilently(state);
      state.reason = 'exception';
    } else if (ev.hitBreakpoints?.length) {
      state.reason = 'breakpoint';
    } else if (nothingVisible && ev.reason !== 'other') {
      // Paused inside host code (a `pause` that landed in the runner): go on to the next user statement.
      this.expect = expected;
      await this.cdp.send('Debugger.stepInto', {}).catch(() => undefined);
      return;
    } else {
      state.reason = expected ?? (ev.reason === 'other' ? 'breakpoint' : 'pause');
    }
    if (this.paused !== state) return;
    state.reported = true;
    if (!this.asyncStacks) void this.enableAsyncStacks();
    const description = state.reason === 'exception' ? 'Paused on exception' : ev.reason === 'other' && !ev.hitBreakpoints?.length && !expected ? 'Paused on debugger statement' : undefined;
    const text = state.reason === 'exception' ? exceptionText(ev) : undefined;
    this.deps.emit('stopped', {
      reason: state.reason,
      threadId: this.id,
      // Attached processes (and worker threads) stop independently of the notebook and of each other.
      allThreadsStopped: this.deps.isOnlyThread(),
      ...(description ? { description } : {}),
      ...(text ? { text } : {}),
      ...(ev.hitBreakpoints?.length ? { hitBreakpointIds: ev.hitBreakpoints.map((id) => this.binder.userBreakpointFor(id)?.id).filter((x): x is number => x !== undefined) } : {}),
    });
  }

  /**
   * Starts reading the top frame's variables, for a client that asked for the stack and will ask
   * for its scopes and their variables next. Not on the stop itself: the client's own work on
   * the `stopped` event would then compete with it for the CPU.
   */
  prefetchTopFrame(): void {
    const state = this.pause;
    const top = state?.frames[0];
    if (!state || !top || state.prefetched) return;
    state.prefetched = true;
    for (const scope of this.scopesOf(state, top)) state.store.prefetch(scope.variablesReference);
  }

  private scopesOf(state: PauseState, frame: FrameInfo): DebugProtocol.Scope[] {
    let scopes = state.scopes.get(frame.id);
    if (!scopes) state.scopes.set(frame.id, (scopes = frameScopes(frame, state.store)));
    return scopes;
  }

  /** The scopes of a frame of the current pause (undefined for an async parent frame or an unknown id). */
  scopes(frameId: number): DebugProtocol.Scope[] | undefined {
    const state = this.pause;
    const frame = state?.frames.find((f) => f.id === frameId);
    return state && frame ? this.scopesOf(state, frame) : undefined;
  }

  private async resumeSilently(state: PauseState): Promise<void> {
    if (this.paused === state) await this.cdp.send('Debugger.resume', {}).catch(() => undefined);
  }

  /**
   * Resolves once every event the target sent before this call is handled, and the source maps
   * its scripts named are read (at most `ms`): a request answered after them comes after them
   * on the same link. A cell's reply and the scripts it loaded travel on different links.
   */
  async caughtUp(ms: number): Promise<void> {
    const done = this.cdp.send('Runtime.getIsolateId').then(() => Promise.all([...this.mapWork.values()]));
    await within(
      done.catch(() => undefined),
      ms,
    );
  }

  private onScriptParsed(ev: Protocol.Debugger.ScriptParsedEvent): void {
    const info = this.scripts.add(ev);
    if (!ev.sourceMapURL || info.hidden || (info.path && this.deps.cells.isCellPath(info.path))) return;
    const work = this.maps.add(ev.scriptId, ev.url, ev.sourceMapURL).then(async (sources) => {
      if (!this.attached) return;
      await Promise.all(sources.map((path) => this.binder.refreshPath(path, this.deps.model.forPath(path))));
    });
    this.mapWork.set(
      ev.scriptId,
      work.catch((e) => log.warn('placing breakpoints through a source map failed', e)),
    );
  }

  /** A script with a source map is about to run: place its breakpoints through the map first. */
  private async onInstrumentation(ev: Protocol.Debugger.PausedEvent): Promise<void> {
    try {
      const data = ev.data as { url?: string; scriptId?: string } | undefined;
      const path = data?.url ? urlToPath(data.url) : undefined;
      const mapped = data?.scriptId ? this.mapWork.get(data.scriptId) : undefined;
      if (mapped) await mapped;
      else if (path) await this.binder.refreshPath(path, this.deps.model.forPath(path));
    } finally {
      await this.cdp.send('Debugger.resume', {}).catch(() => undefined);
    }
  }

  private onResumed(): void {
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const w of waiters) w();
    const p = this.paused;
    if (!p) return;
    this.paused = undefined;
    void p.store.release();
    if (p.reported) this.deps.emit('continued', { threadId: this.id, allThreadsContinued: this.deps.isOnlyThread() });
  }

  private onClosed(): void {
    this.attached = false;
    this.instrumentation.reset();
    this.binder.reset();
    this.onResumed();
    this.inspectStores = [];
  }

  /**
   * Resumes and returns once the target has left the pause (its `Debugger.resumed` event, which
   * V8 sends after the command's response), so callers never see a stale stopped state.
   */
  async resume(): Promise<void> {
    if (!this.paused) return;
    const left = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, RESUMED_EVENT_WAIT_MS);
      this.resumeWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    try {
      await this.cdp.send('Debugger.resume', {});
    } catch (e) {
      this.resumeWaiters = [];
      throw e;
    }
    await left;
    if (this.asyncStacks && !this.asyncStacksWhileRunning) {
      this.asyncStacks = false;
      await this.cdp.send('Debugger.setAsyncCallStackDepth', { maxDepth: 0 }).catch(() => undefined);
    }
  }

  async step(kind: 'next' | 'stepIn' | 'stepOut'): Promise<void> {
    this.requirePause();
    this.expect = 'step';
    if (kind === 'next') await this.cdp.send('Debugger.stepOver', {});
    else if (kind === 'stepIn') await this.cdp.send('Debugger.stepInto', { breakOnAsyncCall: true });
    else await this.cdp.send('Debugger.stepOut');
  }

  async requestPause(): Promise<void> {
    if (this.pause) return;
    if (!this.attached) throw new UserError('The debugger is not attached');
    this.expect = 'pause';
    await this.cdp.send('Debugger.pause');
  }

  /** A store for values inspected while not paused; the two latest generations stay resolvable. */
  async newInspectStore(): Promise<VariableStore> {
    const store = new VariableStore(this.cdp, `tskernel-inspect-${++this.inspectGeneration}`);
    this.inspectStores.push(store);
    while (this.inspectStores.length > 2) await this.inspectStores.shift()!.release();
    return store;
  }

  currentInspectStore(): VariableStore | undefined {
    return this.inspectStores[this.inspectStores.length - 1];
  }

  /** Every store a variablesReference may belong to. */
  stores(): VariableStore[] {
    return [...(this.paused ? [this.paused.store] : []), ...this.inspectStores];
  }

  private async releaseInspectStores(): Promise<void> {
    const stores = this.inspectStores.splice(0);
    await Promise.all(stores.map((s) => s.release()));
  }
}

function exceptionText(ev: Protocol.Debugger.PausedEvent): string | undefined {
  const data = ev.data as { description?: string; value?: unknown } | undefined;
  const d = data?.description ?? (data?.value !== undefined ? String(data.value) : undefined);
  return d?.split('\n')[0];
}
