// Attached processes next to the DebugSession: the optional attach listener (`%listen`), thread
// ids from 2 upward (never reused), and one record per attached target. A target that goes away
// (detach, exit, link loss) produces `thread` exited + `detachedTarget`; its output (agent links)
// becomes DAP `output` events. Each worker thread of an attached process is a thread too (child
// of its process's record: detached with it). Detaching a plain inspector cleans up like the
// agent would: breakpoints removed, pause-on-exceptions off, resumed, Debugger disabled — closed.
// A by-pid attach, and a by-port one moved to an injected agent, need the listener for the agent
// to dial back: when one had to start it, that listener is closed again once no such target is
// left and no attach is in progress (a `%listen` by the user is kept). An attach in progress is not
// in `records` yet: without counting it, a target that went away meanwhile closed the listener
// under an agent that was about to dial back.

import * as nodePath from 'node:path';
import { DEFAULT_AGENT_PATH } from '../../attach/byPid';
import { discover } from '../../attach/discovery';
import { AttachListener } from '../../attach/listener';
import { logger } from '../../common/log';
import { UserError } from '../errors';
import type { DebugSession } from '../session';
import { RemoteTarget } from '../../targets/remoteTarget';
import type { RunnerTarget } from '../../targets/runnerTarget';
import type { ITarget } from '../../targets/target';
import { adoptAgent, connectByPid, connectByPort, type AgentDialBack, type Connected } from './connect';
import { WorkerWatcher, type FoundWorker } from './workers';
import {
  DETACHED_BY_NOTEBOOK,
  KERNEL_SHUT_DOWN,
  type AttachedTargetInfo,
  type AttachTargetArguments,
  type AttachTargetBody,
  type ListenArguments,
  type ListenBody,
  type ListTargetsArguments,
  type ListTargetsBody,
} from './types';
import { within } from '../../common/deadline';

const log = logger('dap');
const DETACH_CLEANUP_MS = 3000;
const REGISTER_JS = nodePath.join(nodePath.dirname(DEFAULT_AGENT_PATH), 'register.js');

interface AttachedRecord {
  info: AttachedTargetInfo;
  c: Connected;
  /** Set when the notebook asked to detach (the reason shown in `detachedTarget`). */
  closing?: string;
  workers?: WorkerWatcher;
}

/** The target's agent dialed back to our listener (by pid, or by port moved to an agent). */
function needsListener(r: AttachedRecord): boolean {
  return r.info.via === 'pid' || (r.info.via === 'port' && !!r.c.link);
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export class AttachManager {
  private listener?: AttachListener;
  /** The listener was started by a by-pid attach, not by the user's `%listen`. */
  private implicitListener = false;
  /** Attaches in progress: they may need the implicit listener before their record exists. */
  private attachesInFlight = 0;
  private readonly unsubscribe: (() => void)[] = [];
  private nextThreadId = 2;
  private readonly records = new Map<number, AttachedRecord>();

  constructor(private readonly session: DebugSession) {}

  attached(): AttachedTargetInfo[] {
    return [...this.records.values()].map((r) => r.info);
  }

  async listen(args: ListenArguments): Promise<ListenBody> {
    if (args.stop) {
      await this.closeListener();
      return { listening: false };
    }
    const want = args.host ?? '127.0.0.1';
    if (this.listener && (want !== this.listener.host || (args.port && args.port !== this.listener.port))) await this.closeListener();
    const l = await this.ensureListener(args);
    this.implicitListener = false;
    const ttl = args.tokenTtlSeconds !== undefined ? args.tokenTtlSeconds * 1000 : undefined;
    const { token, id, expiresAt } = l.issueToken(ttl);
    const reg = shellQuote(REGISTER_JS);
    return {
      listening: true,
      host: l.host,
      port: l.port,
      fingerprint: l.fingerprint.toString('hex'),
      token,
      tokenId: id,
      expiresAt: new Date(expiresAt).toISOString(),
      commands: {
        import: `TSKERNEL_ATTACH_TOKEN=${token} node --import ${reg} app.js`,
        require: `TSKERNEL_ATTACH_TOKEN=${token} node --require ${reg} app.js`,
        api: `require(${JSON.stringify(DEFAULT_AGENT_PATH)}).attach(${JSON.stringify(token)})`,
      },
      ...(l.warning ? { warning: l.warning } : {}),
    };
  }

  async listTargets(args: ListTargetsArguments): Promise<ListTargetsBody> {
    const found = await discover({ ports: args.ports, scanProcesses: args.scanProcesses, listener: this.listener, excludePids: this.runnerPids() });
    return { ...found, attached: this.attached() };
  }

  async attachTarget(args: AttachTargetArguments): Promise<AttachTargetBody> {
    const t0 = performance.now();
    const threadId = this.nextThreadId++;
    let c: Connected;
    let info: AttachedTargetInfo;
    this.attachesInFlight++;
    try {
      if ('port' in args) c = await connectByPort(args, threadId, this.implicitDialBack());
      else if ('pid' in args) {
        if (this.isAttachedPid(args.pid)) throw new UserError(`pid ${args.pid} is already attached`);
        const implicit = !this.listener;
        const l = await this.ensureListener({});
        if (implicit) this.implicitListener = true;
        c = await connectByPid(l, args, threadId, this.runnerPids());
      } else {
        const agent = this.listener?.take(args.agentId);
        if (!agent) throw new UserError(`no agent with id ${args.agentId} is waiting (see %targets)`);
        c = adoptAgent(agent, threadId, 'agent');
      }
      info = await this.adopt(c);
    } finally {
      this.attachesInFlight--;
      // This attach failed or did not need the listener, or the targets that did went meanwhile.
      await this.closeImplicitListener();
    }
    return {
      target: info,
      elapsedMs: Math.round(performance.now() - t0),
      ...(c.warning ? { warning: c.warning } : {}),
      ...(c.inspectorClosed !== undefined ? { inspectorClosed: c.inspectorClosed } : {}),
    };
  }

  async detachTarget(threadId: number): Promise<void> {
    const rec = this.records.get(threadId);
    if (!rec) throw new UserError(`thread ${threadId} is not an attached process`);
    await this.release(rec, DETACHED_BY_NOTEBOOK);
  }

  /** Kernel shutdown: every target is detached (and keeps running); the listener closes. */
  async dispose(): Promise<void> {
    await Promise.all([...this.records.values()].map((r) => this.release(r, KERNEL_SHUT_DOWN)));
    await this.closeListener();
  }

  /** The notebook's runner: never listed, never attached by pid. */
  private runnerPids(): number[] {
    const pid = this.session.notebook()?.target.pid;
    return pid ? [pid] : [];
  }

  /** Closes a listener that only a by-pid (or upgraded by-port) attach started, once no such target or attach in progress needs it. */
  private async closeImplicitListener(): Promise<void> {
    if (!this.implicitListener || this.attachesInFlight > 0 || [...this.records.values()].some((r) => needsListener(r))) return;
    await this.closeListener();
  }

  /** The listener for a by-port attach's injected agent: started implicitly if the user has none. */
  private implicitDialBack(): AgentDialBack {
    return {
      listener: async () => {
        const implicit = !this.listener;
        const l = await this.ensureListener({});
        if (implicit) this.implicitListener = true;
        return l;
      },
      release: () => this.closeImplicitListener(),
    };
  }

  /** The process already has an agent of ours (a plain by-port WebSocket does not count). */
  private isAttachedPid(pid: number): boolean {
    return [...this.records.values()].some((r) => r.info.pid === pid && (r.info.via !== 'port' || !!r.c.link));
  }

  private async adopt(c: Connected, parentThreadId?: number): Promise<AttachedTargetInfo> {
    const { target } = c;
    const rec: AttachedRecord = { info: { threadId: target.threadId, name: target.name, via: c.via, ...(target.pid ? { pid: target.pid } : {}), ...(parentThreadId ? { parentThreadId } : {}) }, c };
    this.records.set(target.threadId, rec);
    c.output?.onOutput((o) => this.session.emit('output', { category: o.stream, output: o.text, threadId: target.threadId }));
    target.onClose(() => this.gone(rec));
    this.session.addTarget(target);
    if (!this.records.has(target.threadId)) throw new UserError(`${target.name} went away while attaching`);
    this.session.emit('thread', { reason: 'started', threadId: target.threadId });
    this.session.emit('attachedTarget', rec.info);
    // With a client attached: Debugger enabled and breakpoints placed before we answer.
    await this.session.ready();
    // A process started with --inspect-brk (or a worker told to) waits for a debugger: let it run now.
    if (c.via === 'port' || c.via === 'worker') await target.cdp.send('Runtime.runIfWaitingForDebugger').catch(() => undefined);
    if (c.via !== 'worker') {
      rec.workers = this.watchWorkers(target, () => this.records.get(rec.info.threadId) === rec);
      await rec.workers.start().catch((e) => log.warn(`watching the workers of ${target.name} failed`, e));
    }
    return rec.info;
  }

  /** Worker threads started by the notebook's cells are threads too (children of thread 1). */
  watchRunner(runner: RunnerTarget): void {
    const watcher = this.watchWorkers(runner, () => !runner.cdp.isClosed, runner.userWorkers);
    runner.onClose(() => watcher.stop());
    void watcher.start().catch((e) => log.warn("watching the notebook runner's workers failed", e));
  }

  private watchWorkers(parent: ITarget, isCurrent: () => boolean, announced?: ReadonlySet<string>): WorkerWatcher {
    return new WorkerWatcher(parent, (w) => void this.adoptWorker(parent, isCurrent, w).catch((e) => log.warn(`attaching worker ${w.title} failed`, e)), announced);
  }

  private async adoptWorker(p: ITarget, isCurrent: () => boolean, w: FoundWorker): Promise<void> {
    if (!isCurrent()) return w.transport.close();
    const target = new RemoteTarget(w.transport, {
      threadId: this.nextThreadId++,
      name: `${p.name} › ${w.title}`,
      pid: p.pid,
      expectHello: false,
      onThisHost: p.onThisHost,
      hiddenPaths: p.hiddenPaths(),
    });
    await this.adopt({ target, via: 'worker' }, p.threadId);
  }

  private async release(rec: AttachedRecord, reason: string): Promise<void> {
    rec.closing ??= reason;
    // Its worker threads first (while the process's link still carries their sessions).
    const children = [...this.records.values()].filter((r) => r.info.parentThreadId === rec.info.threadId);
    await Promise.all(children.map((r) => this.release(r, reason)));
    rec.workers?.stop();
    const thread = this.session.allThreads().find((t) => t.target === rec.c.target);
    if (thread && !rec.c.target.cdp.isClosed) {
      const cleanup = thread.detach().catch((e) => log.warn(`cleaning up thread ${rec.info.threadId} failed`, e));
      await within(cleanup, DETACH_CLEANUP_MS);
    }
    rec.c.target.close();
    this.gone(rec);
  }

  private gone(rec: AttachedRecord): void {
    if (this.records.get(rec.info.threadId) !== rec) return;
    this.records.delete(rec.info.threadId);
    const reason = rec.closing ?? rec.c.link?.closeReason ?? 'the target closed the connection (exited?)';
    log.info(`thread ${rec.info.threadId} (${rec.info.name}) gone: ${reason}`);
    this.session.emit('thread', { reason: 'exited', threadId: rec.info.threadId });
    this.session.emit('detachedTarget', { threadId: rec.info.threadId, reason });
    if (needsListener(rec)) void this.closeImplicitListener().catch((e) => log.warn('closing the attach listener failed', e));
  }

  private async ensureListener(args: ListenArguments): Promise<AttachListener> {
    if (this.listener) return this.listener;
    let l: AttachListener;
    try {
      l = await AttachListener.listen({ host: args.host, port: args.port, allowNonLoopback: args.allowNonLoopback, advertiseHost: args.advertiseHost });
    } catch (e) {
      throw new UserError((e as Error).message);
    }
    this.listener = l;
    this.unsubscribe.push(
      l.onAgent((a) => this.session.emit('agentWaiting', { id: a.id, pid: a.info.pid, title: a.info.title, node: a.info.node, remoteAddress: a.remoteAddress, connectedAt: a.connectedAt })),
      l.onRejected((r) => this.session.emit('attachRejected', { remoteAddress: r.remoteAddress, ...(r.tokenId ? { tokenId: r.tokenId } : {}), reason: r.reason })),
    );
    return l;
  }

  private async closeListener(): Promise<void> {
    const l = this.listener;
    this.listener = undefined;
    this.implicitListener = false;
    for (const off of this.unsubscribe.splice(0)) off();
    await l?.close();
  }
}
