// A fake debugger service and kernel for the labextension's model (labextension/src/model.ts):
// the kernel answers tskernel's debug requests from a small in-memory state (threads, stopped
// threads, attached targets, discovery, the listener), records every request, and can hold a
// reply back to test what happens when an event overtakes it.

import { Signal } from '@lumino/signaling';
import type { KernelMessage } from '@jupyterlab/services';
import type { IDapEvent, IDebugService } from '../../../labextension/src/model';
import type { AttachedTarget, IDebugKernel, ListTargetsBody } from '../../../labextension/src/protocol';

type DebugContent = KernelMessage.IDebugRequestMsg['content'];
type Reply = { success: true; body: unknown } | { success: false; message: string };

export class FakeKernel implements IDebugKernel {
  isDisposed = false;
  info: Promise<{ implementation: string }>;
  readonly requests: DebugContent[] = [];
  threads: { id: number; name: string }[] = [{ id: 1, name: 'Notebook' }];
  stopped: number[] = [];
  attached: AttachedTarget[] = [];
  discovered: Omit<ListTargetsBody, 'attached'> = { inspectors: [], processes: [], agents: [] };
  /** Replies for a command that override the state machine (one per request, in order). */
  readonly scripted = new Map<string, Reply[]>();
  /** Commands whose replies wait until release(command) is called. */
  private readonly held = new Map<string, Array<() => void>>();
  private readonly holding = new Set<string>();
  private nextThread = 2;

  constructor(implementation = 'tskernel') {
    this.info = Promise.resolve({ implementation });
  }

  hold(command: string): void {
    this.holding.add(command);
  }

  /** Lets the held replies of a command go (they are computed now, from the current state). */
  release(command: string): void {
    this.holding.delete(command);
    for (const go of this.held.get(command) ?? []) go();
    this.held.delete(command);
  }

  requestsOf(command: string): DebugContent[] {
    return this.requests.filter((r) => r.command === command);
  }

  requestDebug(content: DebugContent): { done: Promise<{ content: KernelMessage.IDebugReplyMsg['content'] }> } {
    this.requests.push(content);
    const answer = (): { content: KernelMessage.IDebugReplyMsg['content'] } => {
      const r = this.scripted.get(content.command)?.shift() ?? this.reply(content.command, content.arguments ?? {});
      const base = { seq: 0, type: 'response' as const, request_seq: content.seq, command: content.command };
      return { content: r.success ? { ...base, success: true, body: r.body } : { ...base, success: false, message: r.message } };
    };
    if (!this.holding.has(content.command)) return { done: Promise.resolve(answer()) };
    return {
      done: new Promise((resolve) => {
        const list = this.held.get(content.command) ?? [];
        list.push(() => resolve(answer()));
        this.held.set(content.command, list);
      }),
    };
  }

  private reply(command: string, args: Record<string, unknown>): Reply {
    switch (command) {
      case 'threads':
        return { success: true, body: { threads: this.threads } };
      case 'debugInfo':
        return { success: true, body: { isStarted: true, stoppedThreads: this.stopped } };
      case 'listTargets':
        return { success: true, body: { ...this.discovered, attached: this.attached } };
      case 'attachTarget': {
        const threadId = this.nextThread++;
        const pid = typeof args.pid === 'number' ? args.pid : 4242;
        const target: AttachedTarget = { threadId, name: `target ${threadId}`, pid, via: 'pid' in args ? 'pid' : 'agentId' in args ? 'agent' : 'port' };
        this.attached.push(target);
        this.threads.push({ id: threadId, name: target.name });
        return { success: true, body: { target, elapsedMs: 12 } };
      }
      case 'detachTarget':
        this.attached = this.attached.filter((a) => a.threadId !== args.threadId);
        this.threads = this.threads.filter((t) => t.id !== args.threadId);
        return { success: true, body: {} };
      case 'listen':
        if (args.stop) return { success: true, body: { listening: false } };
        return {
          success: true,
          body: {
            listening: true,
            host: args.host,
            port: 7001,
            token: 'tsk1.abc',
            expiresAt: '2030-01-01T00:00:00Z',
            commands: { import: 'TSKERNEL_ATTACH_TOKEN=tsk1.abc node --import x app.js', require: '', api: '' },
          },
        };
      default:
        return { success: false, message: `unknown command ${command}` };
    }
  }
}

export class FakeService implements IDebugService {
  session: { connection: { kernel: IDebugKernel | null } | null } | null;
  isStarted = true;
  readonly eventMessage = new Signal<unknown, IDapEvent>(this);
  readonly sessionChanged = new Signal<unknown, unknown>(this);
  readonly displayModules = jest.fn(() => Promise.resolve());
  readonly stoppedThreads = new Set<number>();
  readonly model = {
    stoppedThreads: this.stoppedThreads,
    titleChanged: new Signal<unknown, unknown>(this),
    callstack: { framesChanged: new Signal<unknown, unknown>(this) },
  };

  constructor(kernel: IDebugKernel | null) {
    this.session = { connection: { kernel } };
  }

  hasStoppedThreads(): boolean {
    return this.stoppedThreads.size > 0;
  }

  /** A debug_event from the kernel, as the service re-emits it (after its own bookkeeping). */
  event(event: string, body: Record<string, unknown> = {}): void {
    if (event === 'stopped' && typeof body.threadId === 'number') {
      this.stoppedThreads.clear();
      this.stoppedThreads.add(body.threadId);
    } else if (event === 'continued' && typeof body.threadId === 'number') {
      this.stoppedThreads.delete(body.threadId);
    }
    this.eventMessage.emit({ event, body });
  }
}

/** The translation bundle's formatting (%1, %2 ...), without translations. */
export const trans = { __: (msg: string, ...args: unknown[]): string => msg.replace(/%(\d+)/g, (_, n: string) => String(args[Number(n) - 1])) };

/** Resolves when `signal` next emits (bounded: rejects after `ms`). */
export function next<T, A>(signal: { connect(fn: (sender: T, args: A) => void): boolean; disconnect(fn: (sender: T, args: A) => void): boolean }, what: string, ms = 2000): Promise<A> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.disconnect(fn);
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const fn = (_: T, args: A): void => {
      clearTimeout(timer);
      signal.disconnect(fn);
      resolve(args);
    };
    signal.connect(fn);
  });
}
