// The thread table of the Node processes section: one row per debugger thread (the notebook is
// thread 1, attached processes and their workers 2+), kept from events and refresh replies. Pure
// bookkeeping; the model (model.ts) feeds it and says when it changed.

import type { AttachedTarget, ThreadsBody } from './protocol';

export type ThreadState = 'running' | 'paused' | 'exited';

export interface IThreadRow {
  readonly threadId: number;
  name: string;
  via?: AttachedTarget['via'];
  /** For a worker thread: the thread of its process. */
  parentThreadId?: number;
  pid?: number;
  state: ThreadState;
  reason?: string;
  /** host:port it was attached through (attach by port from this section). */
  endpoint?: string;
}

/** What the model does after an event: re-render, refresh from the kernel, show the next paused thread. */
export interface IEventOutcome {
  render: boolean;
  refresh: boolean;
  autoSelect: boolean;
  /** A stop arrived: a pending "show the next paused thread" must not override it. */
  stopAutoSelect: boolean;
  /** attachRejected: the kernel's reason ('' when it gave none). */
  rejected?: string;
}

const THREAD_EVENTS = new Set(['stopped', 'continued', 'thread', 'detachedTarget', 'attachedTarget']);

/** One property of an event body (untrusted: anything may be missing or of another type). */
function prop(body: unknown, key: string): unknown {
  return body && typeof body === 'object' && key in body ? Reflect.get(body, key) : undefined;
}

export class ThreadTable {
  /** The thread the user (or the latest stop) chose. */
  selected: number | undefined;

  private readonly rows = new Map<number, IThreadRow>();
  // Events are counted; a refresh reply requested before an event about a thread does not
  // override what the event said (its stamp is newer than the refresh's mark).
  private seq = 0;
  private readonly stamps = new Map<number, number>();

  clear(): void {
    this.rows.clear();
    this.stamps.clear();
    this.selected = undefined;
  }

  /** Applies a debug event (stopped, continued, thread, the attach events) to the rows. */
  applyEvent(event: string, body: unknown): IEventOutcome {
    const idValue = prop(body, 'threadId');
    const reasonValue = prop(body, 'reason');
    const id = typeof idValue === 'number' ? idValue : undefined;
    const reason = typeof reasonValue === 'string' ? reasonValue : undefined;
    const out: IEventOutcome = { render: false, refresh: false, autoSelect: false, stopAutoSelect: false };
    if (id !== undefined && THREAD_EVENTS.has(event)) this.stamp(id);
    switch (event) {
      case 'stopped':
        // allThreadsStopped / allThreadsContinued are not used: every thread is its own process.
        if (id !== undefined) {
          this.row(id).state = 'paused';
          this.selected = id;
          out.stopAutoSelect = true;
        }
        out.render = true;
        break;
      case 'continued':
        if (id !== undefined && this.rows.has(id)) this.row(id).state = 'running';
        if (this.selected === id) this.selected = undefined;
        out.render = out.autoSelect = true;
        break;
      case 'thread':
        if (id !== undefined && reason === 'exited') {
          const t = this.rows.get(id);
          if (t) t.state = 'exited';
          if (this.selected === id) this.selected = undefined;
          out.render = out.autoSelect = true;
        } else if (id !== undefined) {
          this.row(id);
        }
        out.refresh = true;
        break;
      case 'detachedTarget': {
        const t = id !== undefined ? this.rows.get(id) : undefined;
        if (t) {
          t.state = 'exited';
          t.reason = reason;
        }
        out.render = out.refresh = true;
        break;
      }
      case 'attachedTarget':
      case 'agentWaiting':
      case 'initialized':
      case 'terminated':
        out.refresh = true;
        break;
      case 'attachRejected':
        out.rejected = reason ?? '';
        out.render = true;
        break;
      default:
        break;
    }
    return out;
  }

  get(threadId: number): IThreadRow | undefined {
    return this.rows.get(threadId);
  }

  /** The row of a thread, created (running) if it is new. */
  row(threadId: number): IThreadRow {
    let t = this.rows.get(threadId);
    if (!t) {
      t = { threadId, name: threadId === 1 ? 'Notebook' : `Thread ${threadId}`, state: 'running' };
      this.rows.set(threadId, t);
    }
    return t;
  }

  /** Records that an event (or a reply) just said something about this thread. */
  stamp(threadId: number): void {
    this.stamps.set(threadId, ++this.seq);
  }

  isStamped(threadId: number): boolean {
    return this.stamps.has(threadId);
  }

  /** The mark a refresh takes before asking the kernel. */
  mark(): number {
    return this.seq;
  }

  /** Applies a refresh reply (threads, stopped threads, attached targets) asked for at `since`. */
  applyRefresh(since: number, threads: ThreadsBody['threads'], stoppedThreads: readonly number[], attached: readonly AttachedTarget[]): void {
    const fresh = (id: number): boolean => (this.stamps.get(id) ?? 0) <= since;
    const stopped = new Set(stoppedThreads);
    const live = new Set<number>();
    for (const t of threads) {
      const r = this.row(t.id);
      live.add(t.id);
      r.name = t.id === 1 ? 'Notebook' : t.name;
      if (fresh(t.id)) {
        r.state = stopped.has(t.id) ? 'paused' : 'running';
        r.reason = undefined;
      }
    }
    for (const a of attached) {
      const r = this.row(a.threadId);
      live.add(a.threadId);
      r.name = a.name;
      r.via = a.via;
      r.pid = a.pid;
      r.parentThreadId = a.parentThreadId;
      if (r.state === 'exited' && fresh(a.threadId)) r.state = stopped.has(a.threadId) ? 'paused' : 'running';
    }
    for (const [id, t] of this.rows) if (!live.has(id) && t.state !== 'exited' && fresh(id)) t.state = 'exited';
  }

  /** Drops the rows of threads that are gone (an explicit refresh). */
  forgetExited(): void {
    for (const [id, t] of this.rows) if (t.state === 'exited') this.rows.delete(id);
  }

  /** Threads by id, each process followed by its worker threads. */
  ordered(): IThreadRow[] {
    const all = [...this.rows.values()].sort((a, b) => a.threadId - b.threadId);
    const top = all.filter((t) => t.parentThreadId === undefined || !this.rows.has(t.parentThreadId));
    const out: IThreadRow[] = [];
    const add = (t: IThreadRow): void => {
      out.push(t);
      for (const c of all) if (c.parentThreadId === t.threadId) add(c);
    };
    top.forEach(add);
    return out;
  }

  firstPaused(): IThreadRow | undefined {
    return this.ordered().find((t) => t.state === 'paused');
  }

  /** True when a live row is this process. */
  hasLivePid(pid: number): boolean {
    return [...this.rows.values()].some((t) => t.pid === pid && t.state !== 'exited');
  }

  /** True when a live row was attached through one of these host:port endpoints. */
  hasLiveEndpoint(endpoints: readonly string[]): boolean {
    return [...this.rows.values()].some((t) => t.state !== 'exited' && t.endpoint !== undefined && endpoints.includes(t.endpoint));
  }
}
