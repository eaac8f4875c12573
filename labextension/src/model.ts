// The model of the "Node processes" section: which kernel the debugger is on and whether it is
// tskernel, the threads (threads.ts), what discovery found, the listener's one-time command, the
// error and notice lines, and every kernel request (typed, protocol.ts). Views render from it and
// re-render on `stateChanged`; commands (commands.ts) call its actions. No DOM, no JupyterLab
// runtime imports: its tests (test/unit/labextension) run it against a fake debugger service.

import { Signal, type ISignal } from '@lumino/signaling';
import { addressPlan, pidPlan, portPlan, type AttachPlan } from './attachArgs';
import { isLoopback, request, type AgentInfo, type AttachTargetArguments, type IDebugKernel, type InspectorInfo, type ListenBody, type ListTargetsBody, type ProcessInfo } from './protocol';
import { UNSET, type ISettings } from './settings';
import { ThreadTable, type IThreadRow } from './threads';
import type { IDapEvent, IDebugService, IListenInfo, Trans } from './tokens';

export type { IDapEvent, IDebugService, IListenInfo };

export namespace NodeProcessesModel {
  export interface IOptions {
    service: IDebugService;
    trans: Trans;
    /** Shows a paused thread's call stack in the debugger (jupyterlabPatches.ts); false if it could not. */
    showThread?: (threadId: number) => boolean;
    /** Whether the section is on screen: discovery is not run for a collapsed section. */
    isShown?: () => boolean;
    refreshDelayMs?: number;
    /** After a continue, how long to wait before showing the next paused thread. */
    autoSelectDelayMs?: number;
  }
}

const EMPTY: ListTargetsBody = { inspectors: [], processes: [], agents: [], attached: [] };
export class NodeProcessesModel {
  constructor(options: NodeProcessesModel.IOptions) {
    this.service = options.service;
    this.trans = options.trans;
    this.showThread = options.showThread ?? (() => false);
    this.isShown = options.isShown ?? (() => true);
    this.refreshDelayMs = options.refreshDelayMs ?? 120;
    this.autoSelectDelayMs = options.autoSelectDelayMs ?? 400;
    this.service.eventMessage.connect(this.onEvent, this);
    this.service.model.callstack.framesChanged.connect(this.emit, this);
    this.service.sessionChanged.connect(this.onContext, this);
    this.service.model.titleChanged.connect(this.onContext, this);
  }

  // --- signals and state -------------------------------------------------------------------------

  /** Anything the views show changed. */
  get stateChanged(): ISignal<this, void> {
    return this._stateChanged;
  }
  /** Whether the section should be shown (tskernel, or the setting says so) changed. */
  get visibilityChanged(): ISignal<this, boolean> {
    return this._visibilityChanged;
  }
  /** A refresh finished (whether or not it changed anything). */
  get refreshed(): ISignal<this, void> {
    return this._refreshed;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }
  get settings(): Readonly<ISettings> {
    return this._settings;
  }
  get hasKernel(): boolean {
    return this.currentKernel() !== null;
  }
  get isTskernel(): boolean | undefined {
    return this._isTskernel;
  }
  get debuggerStarted(): boolean {
    return this.service.isStarted;
  }
  get busy(): boolean {
    return this._busy > 0;
  }
  get canAttach(): boolean {
    return this.hasKernel && this._isTskernel === true && this.debuggerStarted && !this.busy;
  }
  get canListen(): boolean {
    return this.hasKernel && this._isTskernel === true && !this.busy;
  }
  get error(): string {
    return this._error;
  }
  /** The line above the lists: what is missing before attaching works, else the last attach warning. */
  get notice(): string {
    const t = this.trans;
    if (!this.hasKernel) return t.__('Open a notebook or console with a TypeScript or JavaScript (tskernel) kernel.');
    if (this._isTskernel === false) return t.__('This kernel is not tskernel: attaching to Node processes needs the TypeScript or JavaScript (tskernel) kernel.');
    if (!this.debuggerStarted) return t.__('Turn the debugger on (the bug button in the notebook toolbar) to attach to Node processes.');
    return this._warning;
  }
  get threads(): IThreadRow[] {
    return this.table.ordered();
  }
  getThread(threadId: number): IThreadRow | undefined {
    return this.table.get(threadId);
  }
  /** The thread the debugger shows (the first of its stopped threads). */
  get currentThread(): number | undefined {
    if (!this.service.hasStoppedThreads()) return undefined;
    return this.service.model.stoppedThreads.values().next().value;
  }
  /** The thread the user (or the latest stop) chose; patches keep it first in stoppedThreads. */
  get selected(): number | undefined {
    return this.table.selected;
  }
  get inspectors(): readonly InspectorInfo[] {
    return this.discovered.inspectors;
  }
  get agents(): readonly AgentInfo[] {
    return this.discovered.agents;
  }
  /** Discovered processes that are not attached already. */
  get processes(): ProcessInfo[] {
    return this.discovered.processes.filter((p) => !this.table.hasLivePid(p.pid));
  }
  get listenInfo(): IListenInfo | null {
    return this._listen;
  }
  /** The kernel's time for the latest attach, ms. */
  get lastAttachMs(): number | undefined {
    return this._lastAttachMs;
  }

  isInspectorAttached(i: Pick<InspectorInfo, 'host' | 'port'>): boolean {
    const hosts = isLoopback(i.host) ? ['127.0.0.1', 'localhost', i.host] : [i.host];
    return this.table.hasLiveEndpoint(hosts.map((h) => `${h}:${i.port}`));
  }

  setSettings(settings: ISettings): void {
    this._settings = settings;
    this.emit();
    this.scheduleRefresh();
  }

  /** Something outside changed (the current widget, the app restored): look at the kernel again. */
  contextChanged(delay = 250): void {
    this.scheduleRefresh(delay);
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    clearTimeout(this.refreshTimer);
    clearTimeout(this.autoSelectTimer);
    Signal.clearData(this);
  }

  // --- events --------------------------------------------------------------------------------------

  private onContext(): void {
    this.scheduleRefresh();
  }

  private onEvent(_: unknown, event: IDapEvent): void {
    const out = this.table.applyEvent(event.event, event.body);
    if (out.stopAutoSelect) clearTimeout(this.autoSelectTimer);
    if (out.rejected !== undefined) this._error = this.trans.__('An agent was rejected: %1', out.rejected || this.trans.__('unknown reason'));
    if (out.render) this.emit();
    if (out.autoSelect) this.scheduleAutoSelect();
    if (out.refresh) this.scheduleRefresh();
  }

  /** After a continue, show the next thread that is still paused (the service shows one at a time). */
  private scheduleAutoSelect(): void {
    clearTimeout(this.autoSelectTimer);
    this.autoSelectTimer = setTimeout(() => {
      if (this._disposed || this.service.hasStoppedThreads()) return;
      const next = this.table.firstPaused();
      if (next) this.select(next.threadId);
    }, this.autoSelectDelayMs);
  }

  // --- refresh -------------------------------------------------------------------------------------

  private currentKernel(): IDebugKernel | null {
    return this.service.session?.connection?.kernel ?? null;
  }

  scheduleRefresh(delay = this.refreshDelayMs): void {
    if (this._disposed) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), delay);
  }

  /** An explicit refresh: also forgets processes that are gone. */
  refreshAll(): void {
    this.table.forgetExited();
    this.emit();
    this.scheduleRefresh(0);
  }

  /** Re-reads threads, stopped threads and discovery from the kernel (one refresh at a time). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = this.doRefresh().finally(() => {
      this.refreshing = undefined;
      if (this.refreshAgain) {
        this.refreshAgain = false;
        this.scheduleRefresh(0);
      }
      if (!this._disposed) this._refreshed.emit();
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const kernel = this.currentKernel();
    if (kernel !== this.kernel) {
      this.kernel = kernel;
      this._isTskernel = undefined;
      this.table.clear();
      this.discovered = EMPTY;
      this.table.selected = undefined;
      this._listen = null;
    }
    if (!kernel || kernel.isDisposed) return this.emit();
    if (this._isTskernel === undefined) {
      try {
        this._isTskernel = (await kernel.info).implementation === 'tskernel';
      } catch {
        this._isTskernel = false;
      }
    }
    this.setVisible(this._isTskernel || this._settings.showForOtherKernels);
    if (!this._isTskernel || !this.isShown()) return this.emit();
    const since = this.table.mark();
    try {
      const [threads, info, targets] = await Promise.all([
        request(kernel, 'threads', undefined),
        request(kernel, 'debugInfo', {}),
        request(kernel, 'listTargets', { ...(this._settings.ports ? { ports: this._settings.ports } : {}), scanProcesses: true }),
      ]);
      if (kernel !== this.kernel) return;
      this.table.applyRefresh(since, threads.threads, info.stoppedThreads ?? [], targets.attached);
      this.discovered = targets;
      if (this.table.selected !== undefined && this.table.get(this.table.selected)?.state !== 'paused') this.table.selected = undefined;
    } catch (e) {
      this.setError(this.trans.__('Could not list processes: %1', (e as Error).message));
    }
    this.emit();
  }

  private setVisible(visible: boolean): void {
    if (visible === this._visible) return;
    this._visible = visible;
    this._visibilityChanged.emit(visible);
  }

  // --- actions -------------------------------------------------------------------------------------

  /** Runs one kernel request with the busy flag set; errors become the error line. */
  private async run<T>(failed: string, fn: (kernel: IDebugKernel) => Promise<T>): Promise<T | undefined> {
    const kernel = this.currentKernel();
    if (!kernel) {
      this.setError(this.trans.__('No kernel: open a notebook with a TypeScript or JavaScript (tskernel) kernel.'));
      return undefined;
    }
    this._busy++;
    this._error = '';
    this.emit();
    try {
      return await fn(kernel);
    } catch (e) {
      this.setError(this.trans.__('%1 failed: %2', failed, (e as Error).message));
      return undefined;
    } finally {
      this._busy--;
      this.emit();
    }
  }

  /** Attaches a target; resolves to its thread id, or undefined (the error line says why). */
  async attach(args: AttachTargetArguments, what: string): Promise<number | undefined> {
    if (!this.debuggerStarted) {
      this.setError(this.trans.__('Turn the debugger on first (the bug button in the notebook toolbar), then attach.'));
      return undefined;
    }
    const body = await this.run(what, (k) => request(k, 'attachTarget', args));
    if (!body) return undefined;
    const id = body.target.threadId;
    // Its `thread` events came before this reply: a target that already went away stays exited.
    const seen = this.table.isStamped(id);
    const r = this.table.row(id);
    r.name = body.target.name;
    r.via = body.target.via;
    r.pid = body.target.pid;
    if (!seen) {
      this.table.stamp(id);
      r.state = 'running';
    }
    this._warning = body.warning ?? '';
    if ('port' in args) r.endpoint = `${args.host ?? '127.0.0.1'}:${args.port}`;
    this._lastAttachMs = body.elapsedMs;
    this.emit();
    // Its files appear in Kernel Sources.
    void this.service.displayModules().catch(() => undefined);
    this.scheduleRefresh(0);
    return id;
  }

  private follow(plan: AttachPlan): Promise<number | undefined> {
    if ('error' in plan) {
      this.setError(plan.error);
      return Promise.resolve(undefined);
    }
    return this.attach(plan.args, plan.what);
  }

  /** "9229", "host:9229", "[::1]:9229" as typed in the port field or a prompt. */
  attachAddress(text: string): Promise<number | undefined> {
    return this.follow(addressPlan(this.trans, this._settings, text));
  }

  attachPort(port: number, host?: string): Promise<number | undefined> {
    return this.follow(portPlan(this.trans, this._settings, port, host));
  }

  attachInspector(i: Pick<InspectorInfo, 'host' | 'port'>): Promise<number | undefined> {
    return this.attachPort(i.port, isLoopback(i.host) ? undefined : i.host);
  }

  /** A pid as typed (text) or from discovery. */
  attachPid(pid: string | number): Promise<number | undefined> {
    return this.follow(pidPlan(this.trans, pid));
  }

  attachAgent(agentId: string): Promise<number | undefined> {
    const a = this.discovered.agents.find((x) => x.id === agentId);
    return this.attach({ agentId }, this.trans.__('Attaching agent %1', a?.pid ?? agentId));
  }

  /** Detaches a process (its workers go with it); the process keeps running. */
  async detach(threadId: number): Promise<void> {
    const done = await this.run(this.trans.__('Detaching thread %1', threadId), (k) => request(k, 'detachTarget', { threadId }));
    if (done) {
      const t = this.table.get(threadId);
      if (t) {
        t.state = 'exited';
        t.reason = 'detached';
        this.table.stamp(threadId);
      }
      void this.service.displayModules().catch(() => undefined);
    }
    this.scheduleRefresh(0);
  }

  /** Whether Detach applies: an attached process (not the notebook, not a worker) still there. */
  canDetach(threadId: number): boolean {
    const t = this.table.get(threadId);
    return !!t && t.threadId !== 1 && t.state !== 'exited' && t.via !== 'worker' && this.canAttach;
  }

  async listen(): Promise<void> {
    const host = this._settings.listenAddress;
    const advertise = this._settings.advertiseAddress;
    const args = { host, ...(isLoopback(host) ? {} : { allowNonLoopback: true }), ...(advertise ? { advertiseHost: advertise } : {}) };
    const body = await this.run(this.trans.__('Listening'), (k) => request(k, 'listen', args));
    if (body) this.setListen(body);
  }

  async stopListening(): Promise<void> {
    const body = await this.run(this.trans.__('Stopping the listener'), (k) => request(k, 'listen', { stop: true }));
    if (body) this._listen = null;
    this.emit();
  }

  private setListen(body: ListenBody): void {
    this._listen = body.listening
      ? { host: body.host ?? '', port: body.port ?? 0, command: body.commands?.import ?? '', token: body.token ?? '', expiresAt: body.expiresAt, warning: body.warning }
      : null;
    this.emit();
  }

  /** Shows a paused thread's call stack and variables in the debugger. */
  select(threadId: number): void {
    if (!this.service.session || this.table.get(threadId)?.state !== 'paused') return;
    this.table.selected = threadId;
    this.showThread(threadId);
    this.emit();
  }

  private setError(text: string): void {
    this._error = text;
    this.emit();
  }

  private emit(): void {
    if (!this._disposed) this._stateChanged.emit();
  }

  private readonly service: IDebugService;
  private readonly trans: Trans;
  private readonly showThread: (threadId: number) => boolean;
  private readonly isShown: () => boolean;
  private readonly refreshDelayMs: number;
  private readonly autoSelectDelayMs: number;
  private readonly table = new ThreadTable();
  private readonly _stateChanged = new Signal<this, void>(this);
  private readonly _visibilityChanged = new Signal<this, boolean>(this);
  private readonly _refreshed = new Signal<this, void>(this);
  private _disposed = false;
  private _settings: ISettings = UNSET;
  private kernel: IDebugKernel | null = null;
  private _isTskernel: boolean | undefined;
  private _visible: boolean | undefined;
  private discovered: ListTargetsBody = EMPTY;
  private _warning = '';
  private _error = '';
  private _busy = 0;
  private _listen: IListenInfo | null = null;
  private _lastAttachMs: number | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private autoSelectTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
}
