// The interpreter's part of an execution (xeus' "interpreter"): run the cell's magics, turn
// TypeScript into JavaScript with REPL semantics, and apply the type-check policy (off / warn /
// strict, switched by %typecheck). The core's executor sequences this with the runtime and the
// Jupyter messages; nothing here sends a message or runs code in the runner.

import type { CellFiles } from '../common/cellFiles';
import { logger } from '../common/log';
import type { CheckMode, Diagnostic, LanguageFeatures } from '../core/ports';
import type * as CellTranspiler from '../lang/transpile/cell';
import type { ErrorInfo } from '../runtime/protocol';
import { MagicError, type Magics } from './magics';

const log = logger('core');

// Loaded on the first cell (or just after start-up), not on the start-up path.
let transpiler: typeof CellTranspiler | undefined;
export function loadTranspiler(): typeof CellTranspiler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  transpiler ??= require('../lang/transpile/cell') as typeof CellTranspiler;
  return transpiler;
}

/** What an interrupt before the runner has the cell ends it with (the runner says the same). */
export const INTERRUPTED: ErrorInfo = { ename: 'KeyboardInterrupt', evalue: 'Execution interrupted', traceback: ['KeyboardInterrupt: Execution interrupted'] };

export interface InterpreterDeps {
  language: 'typescript' | 'javascript';
  cells: CellFiles;
  magics: Magics;
  /** The language service, once created (undefined: no type checks). */
  readonly lang?: LanguageFeatures;
}

/** A cell as the interpreter hands it to the executor. */
export type Prepared =
  /** The cell ends here with this error (magic failed, syntax error, strict type errors, interrupt). */
  | { kind: 'error'; error: ErrorInfo }
  /** Nothing left to run (only magics, or blank). */
  | { kind: 'empty' }
  | {
      kind: 'run';
      /** The cell path (script filename, debugger URL). */
      path: string;
      generated: string;
      isAsync: boolean;
      /** The type report of a `warn` check, published after the cell's own output. */
      report?: Promise<Diagnostic[]>;
      /**
       * True when the checker was warm as the check was queued, so its report follows within
       * milliseconds: the reply need not wait for it (idle still does).
       */
      reportSoon?: boolean;
      /** The cell code without its magic lines (what the report's positions refer to). */
      code: string;
    };

export interface PrepareContext {
  count: number;
  /** "Cell [n]", for tracebacks and reports. */
  label: string;
  /** Text output of magics (stdout of the cell). */
  print(text: string): void;
  /** True once the user interrupted while the cell was being prepared. */
  interrupted(): boolean;
}

export class Interpreter {
  checkMode: CheckMode = 'warn';

  constructor(private readonly d: InterpreterDeps) {
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

  async prepare(source: string, ctx: PrepareContext): Promise<Prepared> {
    const { count, label } = ctx;
    // 1. Magics.
    const { code, magics } = this.d.magics.split(source);
    for (const m of magics) {
      try {
        await this.d.magics.run(m, { print: ctx.print });
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        return { kind: 'error', error: { ename: err.name || 'MagicError', evalue: err.message, traceback: [`${err.name}: ${err.message}`] } };
      }
    }
    if (ctx.interrupted()) return { kind: 'error', error: INTERRUPTED };
    if (!code.trim()) return { kind: 'empty' };

    // (3, queued here: see below.)
    const lang = this.d.lang;
    const mode = this.d.language === 'typescript' && lang && lang.needsCheck(code) ? this.checkMode : 'off';
    let report: Promise<Diagnostic[]> | undefined;
    const reportSoon = lang?.isWarm() ?? false;
    if (mode !== 'off' && lang) {
      report = lang.check(code).catch((e: Error) => {
        log.warn('type check failed', e);
        return [];
      });
    }

    // 2. TypeScript -> JavaScript with REPL semantics, lines preserved.
    const path = this.d.cells.pathFor(source);
    let generated: string;
    let isAsync: boolean;
    let map: string | undefined;
    let wrapperColumn: number | undefined;
    const tp = loadTranspiler();
    try {
      ({ generated, isAsync, map, wrapperColumn } = tp.transpileCell(code, this.d.language, path));
    } catch (e) {
      if (e instanceof tp.CellSyntaxError) return { kind: 'error', error: syntaxError(e, code, label) };
      throw e;
    }
    this.d.cells.record({ path, source, map, wrapperColumn, executionCount: count });

    // 3. Type check: strict blocks, warn runs beside the cell. The checker sees cells in the
    //    order they are added, so the cell is added right after its check is queued. The check
    //    is queued before the transpile (step 2), which it does not need: the check is what the
    //    reply of a typed cell waits for, so it starts as early as it can.
    if (mode === 'strict' && lang && report) {
      const diags = (await report).filter((d) => d.category === 'error');
      if (ctx.interrupted()) return { kind: 'error', error: INTERRUPTED };
      if (diags.length) {
        const text = lang.format(diags, code, label);
        return { kind: 'error', error: { ename: 'TypeError', evalue: `${diags.length} type error${diags.length > 1 ? 's' : ''} (strict type checking)`, traceback: text.split('\n') } };
      }
      report = undefined;
    }
    lang?.addCell(code, count);
    return { kind: 'run', path, generated, isAsync, report, reportSoon, code };
  }

  /** The stderr text of a type report (undefined: no errors to show). */
  formatReport(all: Diagnostic[], code: string, label: string): string | undefined {
    const lang = this.d.lang;
    const diags = all.filter((x) => x.category === 'error');
    return diags.length && lang ? lang.format(diags, code, label) + '\n' : undefined;
  }
}

function syntaxError(e: CellTranspiler.CellSyntaxError, code: string, label: string): ErrorInfo {
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
