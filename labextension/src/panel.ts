// The "Node processes" section of the debugger sidebar: the notebook (thread 1), attached
// processes (threads 2+), and what discovery found (local inspectors, Node processes of this
// user, agents waiting in the kernel's listener). Attach by port / host:port / pid / agent,
// detach, listen for agents. Everything goes through Jupyter debug_request / debug_event.

import type { IDebugger } from '@jupyterlab/debugger';
import type { Kernel } from '@jupyterlab/services';
import { PanelWithToolbar, refreshIcon, ToolbarButton } from '@jupyterlab/ui-components';
import type { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { isLoopback, parseHostPort, request, type AgentInfo, type AttachTargetArguments, type InspectorInfo, type ListenBody, type ListTargetsBody, type ProcessInfo } from './protocol';

export interface ISettings {
  ports: number[];
  allowedHosts: string[];
  listenAddress: string;
  showForOtherKernels: boolean;
}

export const DEFAULT_SETTINGS: ISettings = {
  ports: [9229, 9230, 9231],
  allowedHosts: [],
  listenAddress: '127.0.0.1',
  showForOtherKernels: false,
};

type State = 'running' | 'paused' | 'exited';

interface ThreadRow {
  threadId: number;
  name: string;
  via?: 'port' | 'pid' | 'agent' | 'worker';
  /** For a worker thread: the thread of its process. */
  parentThreadId?: number;
  pid?: number;
  state: State;
  reason?: string;
  /** host:port it was attached through (attach by port from this panel). */
  endpoint?: string;
}

type DapEvent = IDebugger.ISession.Event;

const REFRESH_DEBOUNCE_MS = 120;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(label: string, testid: string, title?: string): HTMLButtonElement {
  const b = el('button', { class: 'jp-Button jp-mod-styled jp-mod-reject tsk-NodeProcesses-button', type: 'button', 'data-testid': testid }, label);
  if (title) b.title = title;
  return b;
}

/** Copies text with the async clipboard API, falling back to a selected textarea + execCommand. */
export async function copyText(text: string, field?: HTMLTextAreaElement | HTMLInputElement): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back */
  }
  const ta = field ?? el('textarea');
  const temporary = !field;
  if (temporary) {
    ta.value = text;
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
  }
  try {
    ta.focus();
    ta.select();
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    if (temporary) ta.remove();
  }
}

export class NodeProcessesPanel extends PanelWithToolbar {
  private settings: ISettings = { ...DEFAULT_SETTINGS };
  private readonly body = new Widget();
  private readonly notice = el('div', { class: 'tsk-NodeProcesses-notice', 'data-testid': 'tsk-notice' });
  private readonly error = el('div', { class: 'tsk-NodeProcesses-error', 'data-testid': 'tsk-error', role: 'alert' });
  private readonly list = el('ul', { class: 'tsk-NodeProcesses-list', 'data-testid': 'tsk-targets' });
  private readonly found = el('ul', { class: 'tsk-NodeProcesses-list tsk-NodeProcesses-found', 'data-testid': 'tsk-discovered' });
  private readonly portInput = el('input', { class: 'jp-mod-styled tsk-NodeProcesses-input', type: 'text', placeholder: 'port or host:port', 'aria-label': 'Inspector port or host:port', 'data-testid': 'tsk-port-input' });
  private readonly pidInput = el('input', { class: 'jp-mod-styled tsk-NodeProcesses-input', type: 'text', inputmode: 'numeric', placeholder: 'pid', 'aria-label': 'Process id', 'data-testid': 'tsk-pid-input' });
  private readonly attachPortBtn = button('Attach', 'tsk-attach-port', 'Attach to a Node inspector (node --inspect) on this port');
  private readonly attachPidBtn = button('Attach', 'tsk-attach-pid', 'Attach to a Node process on this machine by pid');
  private readonly listenBtn = button('Listen for agents', 'tsk-listen', 'Start the kernel\u2019s attach listener and get a one-time command for the process to dial back');
  private readonly listenBox = el('div', { class: 'tsk-NodeProcesses-listen', 'data-testid': 'tsk-listen-box' });
  private readonly command = el('textarea', { class: 'jp-mod-styled tsk-NodeProcesses-command', readonly: 'true', rows: '3', 'aria-label': 'Command to start the process with the agent', 'data-testid': 'tsk-listen-command' });
  private readonly token = el('input', { class: 'jp-mod-styled tsk-NodeProcesses-token', readonly: 'true', type: 'text', 'aria-label': 'Attach token', 'data-testid': 'tsk-listen-token' });
  private readonly listenInfo = el('div', { class: 'tsk-NodeProcesses-listenInfo', 'data-testid': 'tsk-listen-info' });

  private kernel: Kernel.IKernelConnection | null = null;
  private isTskernel: boolean | undefined;
  private threads = new Map<number, ThreadRow>();
  private discovered: ListTargetsBody = { inspectors: [], processes: [], agents: [], attached: [] };
  private selected: number | undefined;
  private warning = '';
  private busy = 0;
  private refreshTimer: number | undefined;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private autoSelectTimer: number | undefined;
  /** Counts thread-state events; a refresh reply does not override newer states (stamps). */
  private eventSeq = 0;
  private readonly stamps = new Map<number, number>();
  private listKey = '';
  private foundKey = '';
  private visibilityListener?: (visible: boolean) => void;

  constructor(private readonly service: IDebugger) {
    super();
    this.id = 'tsk-node-processes';
    this.addClass('tsk-NodeProcesses');
    this.node.dataset.testid = 'tsk-node-processes';
    this.title.label = 'Node processes';
    this.title.caption = 'Processes the debugger is attached to, and ones it can attach to';
    this.toolbar.addClass('tsk-NodeProcesses-toolbar');
    const refresh = new ToolbarButton({
      icon: refreshIcon,
      tooltip: 'Refresh the list of processes',
      onClick: () => {
        // An explicit refresh also forgets processes that are gone.
        for (const [id, t] of this.threads) if (t.state === 'exited') this.threads.delete(id);
        this.scheduleRefresh(0);
      },
    });
    refresh.node.dataset.testid = 'tsk-refresh';
    this.toolbar.addItem('refresh', refresh);

    const b = this.body.node;
    b.classList.add('tsk-NodeProcesses-body');
    b.append(this.notice, this.error, this.list);

    const form = el('div', { class: 'tsk-NodeProcesses-form' });
    const portRow = el('div', { class: 'tsk-NodeProcesses-row' });
    portRow.append(el('label', { class: 'tsk-NodeProcesses-label' }, 'Inspector'), this.portInput, this.attachPortBtn);
    const pidRow = el('div', { class: 'tsk-NodeProcesses-row' });
    pidRow.append(el('label', { class: 'tsk-NodeProcesses-label' }, 'Process'), this.pidInput, this.attachPidBtn);
    const listenRow = el('div', { class: 'tsk-NodeProcesses-row' });
    listenRow.append(this.listenBtn);
    form.append(portRow, pidRow, listenRow);

    const copyBtn = button('Copy', 'tsk-copy', 'Copy the command');
    copyBtn.addEventListener('click', () => void this.copy(copyBtn, this.command.value, this.command));
    const copyTokenBtn = button('Copy token', 'tsk-copy-token', 'Copy the token only');
    copyTokenBtn.addEventListener('click', () => void this.copy(copyTokenBtn, this.token.value, this.token));
    const stopBtn = button('Stop listening', 'tsk-listen-stop', 'Close the listener and revoke its tokens');
    stopBtn.addEventListener('click', () => void this.stopListening());
    const tokenRow = el('div', { class: 'tsk-NodeProcesses-row' });
    tokenRow.append(this.token, copyTokenBtn);
    const cmdButtons = el('div', { class: 'tsk-NodeProcesses-row' });
    cmdButtons.append(copyBtn, stopBtn);
    this.listenBox.append(this.listenInfo, this.command, cmdButtons, tokenRow);
    this.listenBox.hidden = true;

    b.append(form, this.listenBox, el('div', { class: 'tsk-NodeProcesses-heading' }, 'Found on this machine'), this.found);
    this.addWidget(this.body);

    this.attachPortBtn.addEventListener('click', () => void this.attachByPortInput());
    this.attachPidBtn.addEventListener('click', () => void this.attachByPidInput());
    this.portInput.addEventListener('keydown', (e) => e.key === 'Enter' && void this.attachByPortInput());
    this.pidInput.addEventListener('keydown', (e) => e.key === 'Enter' && void this.attachByPidInput());
    this.listenBtn.addEventListener('click', () => void this.listen());

    service.eventMessage.connect(this.onEvent, this);
    service.model.callstack.framesChanged.connect(this.onFramesChanged, this);
    this.preferSelectedThread();
    service.sessionChanged.connect(() => this.scheduleRefresh(), this);
    service.model.titleChanged.connect(() => this.scheduleRefresh(), this);
    this.render();
  }

  /** Called with false when the section must be hidden (another kernel), true otherwise. */
  set onVisibility(fn: (visible: boolean) => void) {
    this.visibilityListener = fn;
  }

  updateSettings(s: Partial<ISettings>): void {
    this.settings = { ...DEFAULT_SETTINGS, ...s };
    this.scheduleRefresh();
  }

  /** Something outside changed (the current widget): look at the kernel again. */
  contextChanged(): void {
    this.scheduleRefresh(250);
  }

  dispose(): void {
    if (this.isDisposed) return;
    window.clearTimeout(this.refreshTimer);
    window.clearTimeout(this.autoSelectTimer);
    this.service.eventMessage.disconnect(this.onEvent, this);
    this.service.model.callstack.framesChanged.disconnect(this.onFramesChanged, this);
    super.dispose();
  }

  protected onAfterShow(): void {
    this.scheduleRefresh(0);
  }

  // --- events -----------------------------------------------------------------------------------

  private onEvent(_: IDebugger, event: DapEvent): void {
    const body = (event.body ?? {}) as { threadId?: number; reason?: string; allThreadsStopped?: boolean; allThreadsContinued?: boolean };
    const id = body.threadId;
    if (typeof id === 'number' && ['stopped', 'continued', 'thread', 'detachedTarget', 'attachedTarget'].includes(event.event)) this.stamps.set(id, ++this.eventSeq);
    switch (event.event) {
      case 'stopped': {
        // allThreadsStopped / allThreadsContinued are not used: every thread is its own process.
        if (typeof id === 'number') {
          this.row(id).state = 'paused';
          this.selected = id;
          window.clearTimeout(this.autoSelectTimer);
        }
        this.render();
        break;
      }
      case 'continued': {
        if (typeof id === 'number' && this.threads.has(id)) this.row(id).state = 'running';
        if (this.selected === id) this.selected = undefined;
        this.render();
        this.scheduleAutoSelect();
        break;
      }
      case 'thread': {
        if (typeof id === 'number') {
          if (body.reason === 'exited') {
            const t = this.threads.get(id);
            if (t) {
              t.state = 'exited';
              if (this.selected === id) this.selected = undefined;
            }
            this.render();
            this.scheduleAutoSelect();
          } else if (!this.threads.has(id)) {
            this.row(id);
          }
        }
        this.scheduleRefresh();
        break;
      }
      case 'detachedTarget': {
        const t = typeof id === 'number' ? this.threads.get(id) : undefined;
        if (t) {
          t.state = 'exited';
          t.reason = body.reason;
        }
        this.render();
        this.scheduleRefresh();
        break;
      }
      case 'attachedTarget':
      case 'agentWaiting':
      case 'initialized':
      case 'terminated':
        this.scheduleRefresh();
        break;
      case 'attachRejected':
        this.showError(`An agent was rejected: ${body.reason ?? 'unknown reason'}`);
        break;
      default:
        break;
    }
  }

  private onFramesChanged(): void {
    this.render();
  }

  /**
   * JupyterLab's restoreState (run whenever a notebook becomes current) replaces the model's
   * stoppedThreads with debugInfo's list and shows the first one (the lowest id), so the thread
   * that stopped last, or that the user picked here, would lose to the notebook. Keep it first.
   */
  private preferSelectedThread(): void {
    const model = this.service.model as unknown as object;
    // The accessor lives on a base class (Debugger.Model extends DebuggerModel).
    let desc: PropertyDescriptor | undefined;
    for (let p = Object.getPrototypeOf(model) as object | null; p && !desc; p = Object.getPrototypeOf(p) as object | null) {
      desc = Object.getOwnPropertyDescriptor(p, 'stoppedThreads');
    }
    if (!desc?.get || !desc.set || Object.getOwnPropertyDescriptor(model, 'stoppedThreads')) {
      this.node.dataset.keepsSelection = 'false';
      return;
    }
    this.node.dataset.keepsSelection = 'true';
    const get = desc.get;
    const set = desc.set;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const panel = this;
    Object.defineProperty(model, 'stoppedThreads', {
      configurable: true,
      enumerable: desc.enumerable,
      get(this: object): Set<number> {
        return get.call(this) as Set<number>;
      },
      set(this: object, threads: Set<number>) {
        const want = panel.selected;
        const ordered = want !== undefined && threads instanceof Set && threads.has(want) ? new Set([want, ...[...threads].filter((t) => t !== want)]) : threads;
        set.call(this, ordered);
      },
    });
  }

  private row(threadId: number): ThreadRow {
    let t = this.threads.get(threadId);
    if (!t) {
      t = { threadId, name: threadId === 1 ? 'Notebook' : `Thread ${threadId}`, state: 'running' };
      this.threads.set(threadId, t);
    }
    return t;
  }

  /** After a continue, show the next thread that is still paused (the service shows one at a time). */
  private scheduleAutoSelect(): void {
    window.clearTimeout(this.autoSelectTimer);
    this.autoSelectTimer = window.setTimeout(() => {
      if (this.service.hasStoppedThreads()) return;
      const next = [...this.threads.values()].find((t) => t.state === 'paused');
      if (next) this.select(next.threadId);
    }, 400);
  }

  // --- kernel -------------------------------------------------------------------------------------

  private currentKernel(): Kernel.IKernelConnection | null {
    return this.service.session?.connection?.kernel ?? null;
  }

  private scheduleRefresh(delay = REFRESH_DEBOUNCE_MS): void {
    window.clearTimeout(this.refreshTimer);
    this.refreshTimer = window.setTimeout(() => void this.refresh(), delay);
  }

  /** Re-reads threads, stopped threads and discovery from the kernel (one at a time). */
  async refresh(): Promise<void> {
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
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const kernel = this.currentKernel();
    if (kernel !== this.kernel) {
      this.kernel = kernel;
      this.isTskernel = undefined;
      this.threads.clear();
      this.stamps.clear();
      this.discovered = { inspectors: [], processes: [], agents: [], attached: [] };
      this.selected = undefined;
      this.listenBox.hidden = true;
    }
    if (!kernel || kernel.isDisposed) {
      this.render();
      return;
    }
    if (this.isTskernel === undefined) {
      try {
        const info = await kernel.info;
        this.isTskernel = info.implementation === 'tskernel';
      } catch {
        this.isTskernel = false;
      }
    }
    this.visibilityListener?.(this.isTskernel || this.settings.showForOtherKernels);
    if (!this.isTskernel) {
      this.render();
      return;
    }
    if (!this.isVisible) {
      this.render();
      return;
    }
    const since = this.eventSeq;
    const fresh = (id: number): boolean => (this.stamps.get(id) ?? 0) <= since;
    try {
      const [threads, info, targets] = await Promise.all([
        request(kernel, 'threads', {}),
        request(kernel, 'debugInfo', {}),
        request(kernel, 'listTargets', { ports: this.settings.ports.slice(0, 64), scanProcesses: true }),
      ]);
      if (kernel !== this.kernel) return;
      const stopped = new Set(info.stoppedThreads ?? []);
      const live = new Set<number>();
      for (const t of threads.threads) {
        const r = this.row(t.id);
        live.add(t.id);
        r.name = t.id === 1 ? 'Notebook' : t.name;
        if (fresh(t.id)) {
          r.state = stopped.has(t.id) ? 'paused' : 'running';
          r.reason = undefined;
        }
      }
      for (const a of targets.attached) {
        const r = this.row(a.threadId);
        live.add(a.threadId);
        r.name = a.name;
        r.via = a.via;
        r.pid = a.pid;
        r.parentThreadId = a.parentThreadId;
        if (r.state === 'exited' && fresh(a.threadId)) r.state = stopped.has(a.threadId) ? 'paused' : 'running';
      }
      for (const [id, t] of this.threads) if (!live.has(id) && t.state !== 'exited' && fresh(id)) t.state = 'exited';
      this.discovered = targets;
      if (this.selected !== undefined && this.threads.get(this.selected)?.state !== 'paused') this.selected = undefined;
    } catch (e) {
      this.showError(`Could not list processes: ${(e as Error).message}`);
    }
    this.render();
  }

  private started(): boolean {
    return this.service.isStarted;
  }

  // --- actions ------------------------------------------------------------------------------------

  private async run<T>(what: string, fn: (kernel: Kernel.IKernelConnection) => Promise<T>): Promise<T | undefined> {
    const kernel = this.currentKernel();
    if (!kernel) {
      this.showError('No kernel: open a notebook with a TypeScript or JavaScript (tskernel) kernel.');
      return undefined;
    }
    this.busy++;
    this.showError('');
    this.render();
    try {
      return await fn(kernel);
    } catch (e) {
      this.showError(`${what} failed: ${(e as Error).message}`);
      return undefined;
    } finally {
      this.busy--;
      this.render();
    }
  }

  private async attach(args: AttachTargetArguments, what: string): Promise<void> {
    if (!this.started()) {
      this.showError('Turn the debugger on first (the bug button in the notebook toolbar), then attach.');
      return;
    }
    const body = await this.run(what, (k) => request(k, 'attachTarget', args));
    if (!body) return;
    // Its `thread` events came before this reply: a target that already went away stays exited.
    const seen = this.stamps.has(body.target.threadId);
    const r = this.row(body.target.threadId);
    r.name = body.target.name;
    r.via = body.target.via;
    r.pid = body.target.pid;
    if (!seen) {
      this.stamps.set(r.threadId, ++this.eventSeq);
      r.state = 'running';
    }
    this.warning = body.warning ?? '';
    if ('port' in args) r.endpoint = `${args.host ?? '127.0.0.1'}:${args.port}`;
    this.node.dataset.lastAttachMs = String(body.elapsedMs ?? '');
    this.render();
    // Its files appear in Kernel Sources.
    void this.service.displayModules().catch(() => undefined);
    this.scheduleRefresh(0);
  }

  private async attachByPortInput(): Promise<void> {
    const hp = parseHostPort(this.portInput.value);
    if (!hp) {
      this.showError('Enter an inspector port (e.g. 9229) or host:port.');
      return;
    }
    await this.attachPort(hp.port, hp.host);
  }

  private async attachPort(port: number, host?: string): Promise<void> {
    const args: AttachTargetArguments = { port };
    if (host && !isLoopback(host)) {
      if (!this.settings.allowedHosts.includes(host)) {
        this.showError(`${host} is not on this machine. Add it to "Allowed non-loopback hosts" in the settings (Node processes) to attach to it.`);
        return;
      }
      Object.assign(args, { host, allowNonLoopback: true });
    } else if (host) {
      Object.assign(args, { host });
    }
    await this.attach(args, `Attaching to ${host ?? '127.0.0.1'}:${port}`);
  }

  private async attachByPidInput(): Promise<void> {
    const pid = Number(this.pidInput.value.trim());
    if (!Number.isInteger(pid) || pid < 1) {
      this.showError('Enter a process id.');
      return;
    }
    await this.attach({ pid }, `Attaching to pid ${pid}`);
  }

  private async detach(threadId: number): Promise<void> {
    const done = await this.run(`Detaching thread ${threadId}`, (k) => request(k, 'detachTarget', { threadId }));
    if (done) {
      const t = this.threads.get(threadId);
      if (t) {
        t.state = 'exited';
        t.reason = 'detached';
        this.stamps.set(threadId, ++this.eventSeq);
      }
      void this.service.displayModules().catch(() => undefined);
    }
    this.scheduleRefresh(0);
  }

  private async listen(): Promise<void> {
    const host = this.settings.listenAddress || '127.0.0.1';
    const body = await this.run('Listening', (k) => request(k, 'listen', { host, ...(isLoopback(host) ? {} : { allowNonLoopback: true }) }));
    if (body) this.showListen(body);
  }

  private async stopListening(): Promise<void> {
    const body = await this.run('Stopping the listener', (k) => request(k, 'listen', { stop: true }));
    if (body) this.listenBox.hidden = true;
    this.render();
  }

  private showListen(body: ListenBody): void {
    if (!body.listening) {
      this.listenBox.hidden = true;
      return;
    }
    this.listenBox.hidden = false;
    this.command.value = body.commands?.import ?? '';
    this.token.value = body.token ?? '';
    const expires = body.expiresAt ? new Date(body.expiresAt).toLocaleTimeString() : '?';
    this.listenInfo.textContent =
      `Listening on ${body.host}:${body.port}. Start your program with this command (one use, expires ${expires}); ` +
      'it appears below as a waiting agent.' +
      (body.warning ? ` ${body.warning}` : '');
  }

  private async copy(btn: HTMLButtonElement, text: string, field: HTMLTextAreaElement | HTMLInputElement): Promise<void> {
    const ok = await copyText(text, field);
    const label = btn.textContent;
    btn.textContent = ok ? 'Copied' : 'Copy failed';
    btn.dataset.copied = ok ? 'true' : 'false';
    window.setTimeout(() => (btn.textContent = label), 1500);
  }

  /** Shows a paused thread's call stack in the debugger panel (the service follows `stopped`). */
  select(threadId: number): void {
    const session = this.service.session;
    const t = this.threads.get(threadId);
    if (!session || !t || t.state !== 'paused') return;
    this.selected = threadId;
    // The service shows the thread of the latest `stopped` event (stackTrace for it, then scopes
    // and variables for the top frame, and the editor follows the frame). Re-announce the stop.
    const signal = session.eventMessage as unknown as Signal<IDebugger.ISession, DapEvent>;
    signal.emit({ seq: 0, type: 'event', event: 'stopped', body: { reason: 'focus', threadId, preserveFocusHint: false, allThreadsStopped: false } } as DapEvent);
    this.render();
  }

  private showError(text: string): void {
    this.error.textContent = text;
    this.error.hidden = !text;
  }

  private showNotice(text: string): void {
    this.notice.textContent = text;
    this.notice.hidden = !text;
  }

  // --- rendering ----------------------------------------------------------------------------------

  private currentThread(): number | undefined {
    if (!this.service.hasStoppedThreads()) return undefined;
    return this.service.model.stoppedThreads.values().next().value as number | undefined;
  }

  private render(): void {
    const kernel = this.currentKernel();
    const started = this.started();
    this.node.dataset.debuggerStarted = String(started);
    this.node.dataset.busy = String(this.busy > 0);
    if (!kernel) this.showNotice('Open a notebook or console with a TypeScript or JavaScript (tskernel) kernel.');
    else if (this.isTskernel === false) this.showNotice('This kernel is not tskernel: attaching to Node processes needs the TypeScript or JavaScript (tskernel) kernel.');
    else if (!started) this.showNotice('Turn the debugger on (the bug button in the notebook toolbar) to attach to Node processes.');
    else this.showNotice(this.warning);
    const canAttach = !!kernel && this.isTskernel === true && started && this.busy === 0;
    this.attachPortBtn.disabled = !canAttach;
    this.attachPidBtn.disabled = !canAttach;
    this.listenBtn.disabled = !(kernel && this.isTskernel === true) || this.busy > 0;

    // Lists are rebuilt only when what they show changed (no churn under the user's pointer).
    const current = this.currentThread();
    const rows = this.ordered();
    const listKey = JSON.stringify([current, canAttach, this.busy > 0, !!(kernel && this.isTskernel), rows]);
    if (listKey !== this.listKey) {
      this.listKey = listKey;
      this.list.replaceChildren(...rows.map((t) => this.threadItem(t, current, canAttach)));
      if (!rows.length) this.list.append(el('li', { class: 'tsk-NodeProcesses-empty' }, kernel && this.isTskernel ? 'No threads yet.' : ''));
    }
    const attachedEndpoints = rows.filter((t) => t.state !== 'exited').map((t) => [t.endpoint, t.pid]);
    const foundKey = JSON.stringify([canAttach, this.discovered.inspectors, this.discovered.agents, this.discovered.processes, attachedEndpoints, this.settings.ports]);
    if (foundKey !== this.foundKey) {
      this.foundKey = foundKey;
      const items = [
        ...this.discovered.inspectors.map((i) => this.inspectorItem(i, canAttach)),
        ...this.discovered.agents.map((a) => this.agentItem(a, canAttach)),
        ...this.discovered.processes.filter((p) => !this.isAttachedPid(p.pid)).map((p) => this.processItem(p, canAttach)),
      ];
      this.found.replaceChildren(...items);
      if (!items.length) this.found.append(el('li', { class: 'tsk-NodeProcesses-empty' }, `Nothing found (inspector ports ${this.settings.ports.join(', ') || 'none'}).`));
    }
  }

  /** Threads by id, each process followed by its worker threads. */
  private ordered(): ThreadRow[] {
    const all = [...this.threads.values()].sort((a, b) => a.threadId - b.threadId);
    const top = all.filter((t) => t.parentThreadId === undefined || !this.threads.has(t.parentThreadId));
    const out: ThreadRow[] = [];
    const add = (t: ThreadRow): void => {
      out.push(t);
      for (const c of all) if (c.parentThreadId === t.threadId) add(c);
    };
    top.forEach(add);
    return out;
  }

  private isAttachedPid(pid: number): boolean {
    return [...this.threads.values()].some((t) => t.pid === pid && t.state !== 'exited');
  }

  private stateBadge(state: State, current: boolean): HTMLElement {
    const label = state === 'paused' ? (current ? 'paused (shown)' : 'paused') : state;
    return el('span', { class: `tsk-NodeProcesses-state tsk-mod-${state}`, 'data-testid': 'tsk-state' }, label);
  }

  private threadItem(t: ThreadRow, current: number | undefined, canAttach: boolean): HTMLLIElement {
    const li = el('li', {
      class: `tsk-NodeProcesses-item tsk-NodeProcesses-thread tsk-mod-${t.state}${current === t.threadId ? ' tsk-mod-current' : ''}`,
      'data-testid': 'tsk-thread',
      'data-thread-id': String(t.threadId),
      'data-state': t.state,
      'data-kind': t.threadId === 1 ? 'notebook' : t.via === 'worker' ? 'worker' : 'attached',
    });
    if (t.via === 'worker') li.classList.add('tsk-mod-worker');
    if (current === t.threadId) li.setAttribute('aria-current', 'true');
    const name = el('span', { class: 'tsk-NodeProcesses-name', 'data-testid': 'tsk-name' }, t.name);
    const via = t.via === 'worker' ? 'worker thread' : t.via ? `via ${t.via}` : '';
    const meta = el('span', { class: 'tsk-NodeProcesses-meta' }, [`#${t.threadId}`, t.pid ? `pid ${t.pid}` : '', via, t.reason ?? ''].filter(Boolean).join(' \u00b7 '));
    li.append(this.stateBadge(t.state, current === t.threadId), name, meta);
    const actions = el('span', { class: 'tsk-NodeProcesses-actions' });
    if (t.state === 'paused' && current !== t.threadId) {
      const show = button('Show', 'tsk-select', 'Show this thread\u2019s call stack and variables');
      show.addEventListener('click', (e) => {
        e.stopPropagation();
        this.select(t.threadId);
      });
      actions.append(show);
      li.addEventListener('click', () => this.select(t.threadId));
      li.title = 'Click to show its call stack';
    }
    // A worker thread goes with its process (detaching the process detaches its workers).
    if (t.threadId !== 1 && t.state !== 'exited' && t.via !== 'worker') {
      const d = button('Detach', 'tsk-detach', 'Detach: the process keeps running');
      d.disabled = this.busy > 0 || !canAttach;
      d.addEventListener('click', (e) => {
        e.stopPropagation();
        void this.detach(t.threadId);
      });
      actions.append(d);
    }
    li.append(actions);
    return li;
  }

  private inspectorItem(i: InspectorInfo, canAttach: boolean): HTMLLIElement {
    const title = i.targets.map((t) => t.title || t.url).filter(Boolean).join(', ') || 'Node inspector';
    const hosts = isLoopback(i.host) ? ['127.0.0.1', 'localhost', i.host] : [i.host];
    const attached = [...this.threads.values()].some((t) => t.state !== 'exited' && hosts.some((h) => t.endpoint === `${h}:${i.port}`));
    const li = el('li', { class: 'tsk-NodeProcesses-item tsk-NodeProcesses-inspector', 'data-testid': 'tsk-inspector', 'data-port': String(i.port), 'data-host': i.host });
    li.append(el('span', { class: 'tsk-NodeProcesses-kind' }, 'inspector'), el('span', { class: 'tsk-NodeProcesses-name' }, `${i.host}:${i.port}`), el('span', { class: 'tsk-NodeProcesses-meta' }, title));
    const b = button('Attach', 'tsk-attach-discovered', `Attach to the inspector on ${i.host}:${i.port}`);
    b.disabled = !canAttach || attached;
    b.addEventListener('click', () => void this.attachPort(i.port, isLoopback(i.host) ? undefined : i.host));
    const actions = el('span', { class: 'tsk-NodeProcesses-actions' });
    actions.append(b);
    li.append(actions);
    return li;
  }

  private agentItem(a: AgentInfo, canAttach: boolean): HTMLLIElement {
    const li = el('li', { class: 'tsk-NodeProcesses-item tsk-NodeProcesses-agent', 'data-testid': 'tsk-agent', 'data-agent-id': a.id, 'data-pid': String(a.pid) });
    li.append(el('span', { class: 'tsk-NodeProcesses-kind' }, 'agent waiting'), el('span', { class: 'tsk-NodeProcesses-name' }, a.title || `pid ${a.pid}`), el('span', { class: 'tsk-NodeProcesses-meta' }, `pid ${a.pid} \u00b7 node ${a.node} \u00b7 from ${a.remoteAddress}`));
    const b = button('Attach', 'tsk-attach-discovered', 'Attach the agent that dialed in');
    b.disabled = !canAttach;
    b.addEventListener('click', () => void this.attach({ agentId: a.id }, `Attaching agent ${a.pid}`));
    const actions = el('span', { class: 'tsk-NodeProcesses-actions' });
    actions.append(b);
    li.append(actions);
    return li;
  }

  private processItem(p: ProcessInfo, canAttach: boolean): HTMLLIElement {
    const li = el('li', { class: 'tsk-NodeProcesses-item tsk-NodeProcesses-process', 'data-testid': 'tsk-process', 'data-pid': String(p.pid) });
    // The short label only; the (kernel-redacted) command line is the tooltip.
    li.append(el('span', { class: 'tsk-NodeProcesses-kind' }, 'process'), el('span', { class: 'tsk-NodeProcesses-name', title: p.command }, p.label ?? `pid ${p.pid}`));
    const b = button('Attach', 'tsk-attach-discovered', `Attach to pid ${p.pid}`);
    b.disabled = !canAttach;
    b.addEventListener('click', () => void this.attach({ pid: p.pid }, `Attaching to pid ${p.pid}`));
    const actions = el('span', { class: 'tsk-NodeProcesses-actions' });
    actions.append(b);
    li.append(actions);
    return li;
  }
}
