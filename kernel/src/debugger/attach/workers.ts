// Finds the worker threads of an attached process so each becomes a DAP thread of its own: turns
// on NodeWorker (without making new workers wait: a notebook must never hold up a service's
// threads), hands every reported worker's session to the attach manager, and skips the agent's own
// relay worker (its file is in the target's hidden paths; in the notebook runner only workers its
// cells started are shown). Over an agent link the inspector
// session lives in a worker, where Node reports only the workers existing at NodeWorker.enable:
// the agent announces each new worker (`Agent.workerStarted`) and we enable again to hear of it.

import { logger } from '../../common/log';
import type { NodeWorkerInfo } from '../../targets/nodeProtocol';
import type { ITarget } from '../../targets/target';
import { WorkerSessionTransport } from '../../targets/workerTransport';
import { urlToPath } from '../scripts';

const log = logger('dap');
const MAX_TITLE = 200;

export interface FoundWorker {
  title: string;
  url: string;
  waitingForDebugger: boolean;
  transport: WorkerSessionTransport;
}

export class WorkerWatcher {
  private readonly seen = new Set<string>();
  private readonly offs: (() => void)[] = [];
  private stopped = false;

  /**
   * @param announced for the notebook runner: the workers its cells started (the runner's own,
   *   such as the module-hooks thread, are never announced and never shown).
   */
  constructor(
    private readonly parent: ITarget,
    private readonly onWorker: (w: FoundWorker) => void,
    private readonly announced?: ReadonlySet<string>,
  ) {}

  async start(): Promise<void> {
    await this.parent.ready();
    if (this.stopped || this.parent.cdp.isClosed) return;
    this.offs.push(this.parent.cdp.on('NodeWorker.attachedToWorker', (ev) => this.attached(ev?.sessionId, ev?.workerInfo, ev?.waitingForDebugger)));
    this.parent.cdp.onAny((method) => {
      if (method === 'Agent.workerStarted' && !this.stopped) void this.enable();
    });
    await this.enable();
  }

  stop(): void {
    this.stopped = true;
    for (const off of this.offs.splice(0)) off();
    if (!this.parent.cdp.isClosed) void this.parent.cdp.send('NodeWorker.disable').catch(() => undefined);
  }

  private async enable(): Promise<void> {
    await this.parent.cdp.send('NodeWorker.enable', { waitForDebuggerOnStart: false }).catch((e) => log.debug(`NodeWorker.enable failed on ${this.parent.name}: ${(e as Error).message}`));
  }

  private attached(sessionId: unknown, info: Partial<NodeWorkerInfo> | undefined, waiting: unknown): void {
    if (this.stopped || typeof sessionId !== 'string' || sessionId.length > 64 || this.seen.has(sessionId)) return;
    this.seen.add(sessionId);
    const url = typeof info?.url === 'string' ? info.url.slice(0, 4096) : '';
    const path = urlToPath(url);
    const transport = new WorkerSessionTransport(this.parent.cdp, sessionId);
    // NodeWorker's workerId is the inspector's own count, not the thread id; Node's worker title
    // is `[worker <threadId>]` (then the worker's name), which is how the agent's thread is known.
    const agentThread = this.parent.agentThreadId();
    const title0 = typeof info?.title === 'string' ? info.title : '';
    const titleThread = /^\[worker (\d+)\]/.exec(title0)?.[1];
    const isAgent = agentThread !== undefined && titleThread === String(agentThread);
    const hostWorker = this.announced ? !this.announced.has(titleThread ?? String(info?.workerId)) : isAgent || (!!path && this.parent.hiddenPaths().some((h) => path.startsWith(h)));
    log.debug(`worker ${String(info?.workerId)} ${url || '(no url)'} on ${this.parent.name}: ${hostWorker ? 'host code, hidden' : 'shown'} (title ${title0.slice(0, 80)})`);
    if (hostWorker) {
      transport.close();
      return;
    }
    const title = typeof info?.title === 'string' && info.title ? info.title.slice(0, MAX_TITLE) : `[worker ${sessionId}]`;
    this.onWorker({ title, url, waitingForDebugger: waiting === true, transport });
  }
}
