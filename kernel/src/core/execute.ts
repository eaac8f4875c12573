// execute_request: magics, TypeScript stripping and REPL rewriting, the optional type check
// (off / warn / strict), running the cell in the runner, and the result, error and reply —
// with execute_input first and the type report after the cell's own output, before the reply.

import type { CellFiles } from '../common/cellFiles';
import { logger } from '../common/log';
import type * as CellTranspiler from '../lang/transpile/cell';
import type { RuntimeClient } from '../runtime/client';
import type { ErrorInfo } from '../runtime/protocol';
import type { Header, Message } from '../wire/messages';
import type { History } from './history';
import { MagicError, type Magics } from './magics';
import type { Messenger } from './messenger';
import type { CheckMode, Diagnostic, LanguageFeatures } from './ports';

const log = logger('core');

// Loaded on the first cell (or just after start-up), not on the start-up path.
let transpiler: typeof CellTranspiler | undefined;
export function loadTranspiler(): typeof CellTranspiler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  transpiler ??= require('../lang/transpile/cell') as typeof CellTranspiler;
  return transpiler;
}
/**
 * How long a cell's idle waits for its type report. Clients that save output (nbclient,
 * nbconvert, papermill) stop reading at idle, so the report must come before it: with the checker
 * warm that costs milliseconds; a cold or busy checker gets this long, then the report is
 * published when ready, after the idle, still parented to its cell (JupyterLab shows it).
 */
const REPORT_WAIT_MS = 3000;
const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

export interface ExecuteContent {
  code: string;
  silent: boolean;
  store_history: boolean;
  user_expressions: Record<string, string>;
  allow_stdin: boolean;
  stop_on_error: boolean;
}

export type ExecuteReply =
  | { status: 'ok'; execution_count: number; user_expressions: Record<string, unknown>; payload: unknown[] }
  | ({ status: 'error'; execution_count: number } & ErrorInfo);

export interface ExecuteDeps {
  language: 'typescript' | 'javascript';
  messenger: Messenger;
  runtime: RuntimeClient;
  cells: CellFiles;
  history: History;
  magics: Magics;
  lang?: LanguageFeatures;
  /** Resolves when the debugger has applied what the cell record implies (breakpoints). */
  debuggerReady?: () => Promise<void>;
  /** Remembers which request an execution id belongs to, for output routing. */
  bindCell(id: number, request: Message): void;
}

/** What an interrupt before the runner has the cell ends it with (the runner says the same). */
const INTERRUPTED: ErrorInfo = { ename: 'KeyboardInterrupt', evalue: 'Execution interrupted', traceback: ['KeyboardInterrupt: Execution interrupted'] };

export class Executor {
  executionCount = 0;
  private nextId = 1;
  checkMode: CheckMode = 'warn';
  /** The cell being prepared (magics, transpile, type check, waiting for the runner/debugger). */
  private preparing?: { interrupted: boolean };

  constructor(private readonly d: ExecuteDeps) {
    d.magics.register('typecheck', 'off | warn | strict: type errors are ignored, reported, or block the run', (args, ctx) => {
      const mode = args.trim();
      if (mode === '') {
        ctx.print(`typecheck: ${this.checkMode}\n`);
        return;
      }
      if (mode !== 'off' && mode !== 'warn' && mode !== 'strict') throw new MagicError(`%typecheck takes off, warn or strict (got "${mode}")`);
      this.checkMode = mode;
      ctx.print(`typecheck: ${mode}\n`);
    });
  }

  /**
   * An interrupt that lands while a cell is still being prepared (before the runner has it, so
   * no SIGINT can reach it) ends that cell as soon as preparation reaches its next step.
   */
  interrupt(): void {
    if (this.preparing) this.preparing.interrupted = true;
  }

  /** Allocates an output-routing id for a request that is not an execution (comm messages). */
  bindRequest(request: Message): number {
    const id = this.nextId++;
    this.d.bindCell(id, request);
    return id;
  }

  /**
   * Runs a cell. The reply is returned once the cell is done and its type report (if any) is
   * published, or REPORT_WAIT_MS have passed (then the report follows when ready, after idle).
   * The report goes before the reply, not just before idle: clients that read a cell's messages
   * with a short timeout after its reply (jupyter_kernel_test reads each within 0.1 s) would
   * otherwise stop early while a check of 50-100 ms runs.
   */
  async execute(request: Message, c: ExecuteContent): Promise<{ reply: ExecuteReply; after?: Promise<void> }> {
    const reply = await this.run(request, c);
    const report = this.pendingReport;
    this.pendingReport = undefined;
    if (report) await report;
    return { reply };
  }

  private pendingReport: Promise<void> | undefined;

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
    const { messenger, runtime, cells } = this.d;
    const silent = !!c.silent;
    const storeHistory = !silent && c.store_history !== false;
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    const id = this.nextId++;
    this.d.bindCell(id, request);
    if (!silent) messenger.publish(parent, 'execute_input', { code: c.code, execution_count: count });
    if (storeHistory) this.d.history.add(count, c.code);
    const label = `Cell [${count}]`;
    const fail = (info: ErrorInfo): ExecuteReply => {
      const e: ErrorInfo = { ename: info.ename, evalue: info.evalue, traceback: info.traceback };
      if (!silent) messenger.publish(parent, 'error', e);
      return { status: 'error', execution_count: count, ...e };
    };

    // 1. Magics.
    const { code, magics } = this.d.magics.split(String(c.code ?? ''));
    for (const m of magics) {
      try {
        await this.d.magics.run(m, { print: (text) => messenger.publish(parent, 'stream', { name: 'stdout', text }) });
      } catch (e) {
        const err = e as Error;
        return fail({ ename: err.name || 'MagicError', evalue: err.message, traceback: [`${err.name}: ${err.message}`] });
      }
    }
    if (preparing.interrupted) return fail(INTERRUPTED);
    if (!code.trim()) return { status: 'ok', execution_count: count, user_expressions: {}, payload: [] };

    // 2. TypeScript -> JavaScript with REPL semantics, lines preserved.
    const path = cells.pathFor(c.code);
    let generated: string;
    let isAsync: boolean;
    let map: string | undefined;
    const tp = loadTranspiler();
    try {
      ({ generated, isAsync, map } = tp.transpileCell(code, this.d.language, path));
    } catch (e) {
      if (e instanceof tp.CellCompileError) return fail(syntaxError(e, code, label));
      throw e;
    }
    cells.record({ path, source: c.code, generated, map, executionCount: count });

    // 3. Type check: strict blocks, warn runs beside the cell. The checker sees cells in the
    //    order they are added, so the cell is added right after its check is queued.
    const lang = this.d.lang;
    const mode = this.d.language === 'typescript' && lang && lang.needsCheck(code) ? this.checkMode : 'off';
    let report: Promise<Diagnostic[]> | undefined;
    if (mode !== 'off' && lang) {
      report = lang.check(code).catch((e: Error) => {
        log.warn('type check failed', e);
        return [];
      });
      if (mode === 'strict') {
        const diags = (await report).filter((d) => d.category === 'error');
        if (preparing.interrupted) return fail(INTERRUPTED);
        if (diags.length) {
          const text = lang.format(diags, code, label);
          return fail({ ename: 'TypeError', evalue: `${diags.length} type error${diags.length > 1 ? 's' : ''} (strict type checking)`, traceback: text.split('\n') });
        }
        report = undefined;
      }
    }
    lang?.addCell(code, count);

    // 4. Run (once the debugger has placed breakpoints for this cell, if it is attached).
    await runtime.whenReady(); // a restarted runner first, so the debugger can attach to it
    await this.d.debuggerReady?.();
    if (preparing.interrupted) return fail(INTERRUPTED);
    // From here on the runtime owns the cell: interrupts reach it as SIGINT.
    this.preparing = undefined;
    const done = await runtime.execute({
      id,
      code: generated,
      filename: path,
      label,
      source: c.code,
      isAsync,
      silent,
      allowStdin: !!c.allow_stdin,
      userExpressions: c.user_expressions ?? {},
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

    // 5. The type report follows the cell's own output, before the reply and idle.
    if (report && !silent && lang) {
      const publish = (all: Diagnostic[]): void => {
        const diags = all.filter((x) => x.category === 'error');
        if (diags.length) messenger.publish(parent, 'stream', { name: 'stderr', text: lang.format(diags, code, label) + '\n' });
      };
      const pending = report;
      // Normally the report is ready within milliseconds; a checker still starting (first cells
      // after launch) holds the idle at most REPORT_WAIT_MS, then its report follows when ready.
      this.pendingReport = Promise.race([pending.then((d) => ({ d })), delay(REPORT_WAIT_MS).then(() => undefined)]).then((ready) => {
        if (ready) publish(ready.d);
        else void pending.then(publish);
      });
    }
    return reply;
  }
}

function syntaxError(e: CellTranspiler.CellCompileError, code: string, label: string): ErrorInfo {
  const line = e.line ?? 1;
  const col = e.column ?? 1;
  const text = code.split(/\r?\n/)[line - 1] ?? '';
  const gutter = String(line);
  return {
    ename: 'SyntaxError',
    evalue: e.message,
    traceback: [`SyntaxError: ${e.message}`, `${label}, line ${line}:${col}:`, `${gutter} | ${text}`, `${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, col - 1))}^`],
  };
}
