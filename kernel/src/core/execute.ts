// execute_request, sequenced: execute_input first, the interpreter's preparation (magics,
// transpile, type-check policy: interpreter/), the run in the runtime, then the result or error,
// the type report after the cell's own output, and the reply. Interrupts that land while the cell
// is still being prepared end it at the next step (the runtime cannot see them yet).

import type { Interpreter, Prepared } from '../interpreter/interpreter';
import { INTERRUPTED } from '../interpreter/interpreter';
import type { IRuntime } from '../runtime/api';
import type { ErrorInfo } from '../runtime/protocol';
import type { Header, Message } from '../wire/messages';
import type { History } from './history';
import type { Messenger } from './messenger';
import type { OutputRoutes } from './outputRoutes';
import { within } from '../common/deadline';

/**
 * How long a cell's idle waits for its type report. Clients that save output (nbclient,
 * nbconvert, papermill) stop reading at idle, so the report must come before it: with the checker
 * warm that costs milliseconds; a cold or busy checker gets this long, then the report is
 * published when ready, after the idle, still parented to its cell (JupyterLab shows it).
 */
const REPORT_WAIT_MS = 3000;

/**
 * How long a cell's reply waits for a warm checker's report. Clients that read a cell's messages
 * after its reply with a short timeout per message (jupyter_kernel_test: 0.1 s) stop before a
 * report that comes later, and then see it as a stray message of the next cell. A warm check
 * takes ~5-15 ms for a typed cell (a new checker; 20-50 ms when it must rebuild the program with
 * the cells that just ran), up to ~200 ms with the compiler thread's GC or a busy machine:
 * holding the reply that long keeps the report (and the idle right after it) within the cell's
 * reply in all but rare cases. JupyterLab marks the cell done at idle, which waited for the
 * report anyway.
 */
const REPLY_HOLD_MS = 250;

export interface ExecuteContent {
  code: string;
  silent: boolean;
  store_history: boolean;
  user_expressions: Record<string, string>;
  allow_stdin: boolean;
  stop_on_error: boolean;
}

export type ExecuteReply = { status: 'ok'; execution_count: number; user_expressions: Record<string, unknown>; payload: never[] } | ({ status: 'error'; execution_count: number } & ErrorInfo);

export interface ExecuteDeps {
  messenger: Messenger;
  runtime: IRuntime;
  interpreter: Interpreter;
  history: History;
  routes: OutputRoutes;
  /** Resolves when the debugger has applied what the cell record implies (breakpoints). */
  debuggerReady?: () => Promise<void>;
  /** How long to hold a cell's idle (and a cold checker's reply) for its type report (tests shorten it). */
  reportWaitMs?: number;
  /** How long to hold a cell's reply for a warm checker's report (tests shorten it). */
  replyHoldMs?: number;
}

export class Executor {
  executionCount = 0;
  /** The cell being prepared (magics, transpile, type check, waiting for the runner/debugger). */
  private preparing?: { interrupted: boolean };
  /** The type report of the cell that just ran: published when ready, and whether it already is. */
  private pendingReport: { published: Promise<void>; ready: () => boolean; soon: boolean } | undefined;

  constructor(private readonly d: ExecuteDeps) {}

  /**
   * An interrupt that lands while a cell is still being prepared (before the runner has it, so
   * no SIGINT can reach it) ends that cell as soon as preparation reaches its next step.
   */
  interrupt(): void {
    if (this.preparing) this.preparing.interrupted = true;
  }

  /** Allocates an output-routing id for a request that is not an execution (comm messages). */
  bindRequest(request: Message): number {
    return this.d.routes.open(request);
  }

  /**
   * Runs a cell. Its type report (if any) is published after the cell's own output and before
   * its idle. A report that is ready when the cell ends also goes before the reply. One still
   * being computed by a warm checker holds the reply up to REPLY_HOLD_MS, then follows it (the
   * idle still waits for it). A cold checker (the first cells after launch) holds the reply up to
   * REPORT_WAIT_MS: clients that read a cell's messages with a short timeout after its reply
   * (jupyter_kernel_test reads each within 0.1 s) would otherwise stop before it.
   */
  async execute(request: Message, c: ExecuteContent): Promise<{ reply: ExecuteReply; after?: Promise<void> }> {
    const reply = await this.run(request, c);
    const report = this.pendingReport;
    this.pendingReport = undefined;
    if (!report) return { reply };
    if (report.ready() || !report.soon) {
      await report.published;
      return { reply };
    }
    const inTime = await within(
      report.published.then(() => true),
      this.d.replyHoldMs ?? REPLY_HOLD_MS,
    );
    return inTime ? { reply } : { reply, after: report.published };
  }

  private async run(request: Message, c: ExecuteContent): Promise<ExecuteReply> {
    const preparing = { interrupted: false };
    this.preparing = preparing;
    try {
      return await this.runPrepared(request, c, preparing);
    } finally {
      if (this.preparing === preparing) this.preparing = undefined;
    }
  }

  private async runPrepared(request: Message, c: ExecuteContent, preparing: { interrupted: boolean }): Promise<ExecuteReply> {
    const parent: Header = request.header;
    const { messenger, runtime } = this.d;
    const silent = !!c.silent;
    const storeHistory = !silent && c.store_history !== false;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    const id = this.d.routes.open(request);
    if (!silent) messenger.publish(parent, 'execute_input', { code: c.code, execution_count: count });
    if (storeHistory) this.d.history.add(count, c.code);
    const label = `Cell [${count}]`;
    const fail = (info: ErrorInfo): ExecuteReply => {
      const e: ErrorInfo = { ename: info.ename, evalue: info.evalue, traceback: info.traceback };
      if (!silent) messenger.publish(parent, 'error', e);
      return { status: 'error', execution_count: count, ...e };
    };

    // 1-3. Magics, transpile, type-check policy.
    const prepared = await this.d.interpreter.prepare(c.code, {
      count,
      label,
      print: (text) => messenger.publish(parent, 'stream', { name: 'stdout', text }),
      interrupted: () => preparing.interrupted,
    });
    if (prepared.kind === 'error') return fail(prepared.error);
    const userExpressions = c.user_expressions ?? {};
    // Nothing to run; but a client may send blank code just to read user_expressions: run nothing.
    const blankRun: Prepared = { kind: 'run', path: 'user_expression', generated: '', isAsync: false, code: '' };
    const toRun = prepared.kind === 'run' ? prepared : Object.keys(userExpressions).length ? blankRun : undefined;
    if (!toRun) return { status: 'ok', execution_count: count, user_expressions: {}, payload: [] };

    // 4. Run (once the debugger has placed breakpoints for this cell, if it is attached).
    await runtime.whenReady(); // a restarted runner first, so the debugger can attach to it
    await this.d.debuggerReady?.();
    if (preparing.interrupted) return fail(INTERRUPTED);
    // From here on the runtime owns the cell: interrupts reach it as SIGINT.
    this.preparing = undefined;
    const done = await runtime.execute({
      id,
      code: toRun.generated,
      filename: toRun.path,
      label,
      source: c.code,
      isAsync: toRun.isAsync,
      silent,
      allowStdin: !!c.allow_stdin,
      userExpressions,
    });

    let reply: ExecuteReply;
    if (done.status === 'error') reply = fail(done);
    else {
      if (done.result && !silent) {
        messenger.publish(parent, 'execute_result', { execution_count: count, data: done.result.data, metadata: done.result.metadata });
        if (storeHistory) this.d.history.setOutput(count, String(done.result.data['text/plain'] ?? ''));
      }
      reply = { status: 'ok', execution_count: count, user_expressions: done.userExpressions, payload: [] };
    }

    // 5. The type report follows the cell's own output, before idle (and before the reply unless
    //    a warm checker is still at it: see execute()).
    const pending = toRun.report;
    if (pending && !silent) {
      let ready = false;
      const publish = (all: Awaited<typeof pending>): void => {
        const text = this.d.interpreter.formatReport(all, toRun.code, label);
        if (text) messenger.publish(parent, 'stream', { name: 'stderr', text });
      };
      // Normally the report is ready within milliseconds; a checker still starting (first cells
      // after launch) holds the idle at most REPORT_WAIT_MS, then its report follows when ready.
      const wait = this.d.reportWaitMs ?? REPORT_WAIT_MS;
      const published = within(
        pending.then((d) => ((ready = true), { d })),
        wait,
      ).then((got) => {
        if (got) publish(got.d);
        else void pending.then(publish);
      });
      this.pendingReport = { published, ready: () => ready, soon: toRun.reportSoon === true };
    }
    return reply;
  }
}
