// An in-memory IRuntime: records what it is asked to run and answers each execution with what
// the test scripts (output through the real OutputSink first, then a Done). Cells can be held
// open to test what happens while one runs (interrupts, queued requests).

import type { CommOrder, Done, IRuntime, OutputSink } from '../../../kernel/src/runtime/api';
import type { ExecuteOrder } from '../../../kernel/src/runtime/protocol';

export type Order = Omit<ExecuteOrder, 'type'>;

/** What a scripted execution does: write output through the sink, then finish. */
export type Script = (order: Order, sink: OutputSink) => Done | Promise<Done>;

export const ok = (order: Order, result?: string): Done => ({
  type: 'done',
  id: order.id,
  status: 'ok',
  userExpressions: {},
  ...(result !== undefined ? { result: { data: { 'text/plain': result }, metadata: {} } } : {}),
});

export const failed = (order: Order, ename = 'Error', evalue = 'boom'): Done => ({ type: 'done', id: order.id, status: 'error', ename, evalue, traceback: [`${ename}: ${evalue}`] });

export class FakeRuntime implements IRuntime {
  readonly executed: Order[] = [];
  readonly sent: CommOrder[] = [];
  interrupts = 0;
  sink: OutputSink | undefined;
  script: Script = (order) => ok(order);
  members: IRuntime['members'] = async () => [];
  preview: IRuntime['preview'] = async () => null;
  /** Resolves once `whenReady` may proceed (tests hold it to keep a cell "preparing"). */
  ready: Promise<void> = Promise.resolve();
  private held: Array<() => void> = [];
  private startWaiters: Array<{ n: number; resolve: () => void }> = [];

  /** Resolves once `n` executions have reached the runtime. */
  whenExecuted(n: number): Promise<void> {
    if (this.executed.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.startWaiters.push({ n, resolve }));
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  async execute(order: Order): Promise<Done> {
    this.executed.push(order);
    for (const w of this.startWaiters.filter((x) => this.executed.length >= x.n)) w.resolve();
    this.startWaiters = this.startWaiters.filter((x) => this.executed.length < x.n);
    if (!this.sink) throw new Error('FakeRuntime needs a sink');
    return this.script(order, this.sink);
  }

  interrupt(): void {
    this.interrupts++;
    for (const release of this.held.splice(0)) release();
  }

  commInfo(): Promise<Record<string, { target_name: string }>> {
    return Promise.resolve({});
  }

  send(order: CommOrder): void {
    this.sent.push(order);
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }

  /** A script whose cells run until `interrupt()` and then end as the runner reports it. */
  holdUntilInterrupt(): void {
    this.script = (order) =>
      new Promise<Done>((resolve) => this.held.push(() => resolve({ type: 'done', id: order.id, status: 'error', ename: 'KeyboardInterrupt', evalue: 'Execution interrupted', traceback: [] })));
  }
}
