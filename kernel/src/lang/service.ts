// The TypeScript language service of the kernel: type checking, completion, inspection and
// is_complete for notebook cells. The compiler runs in a worker thread (service/worker.ts), kept
// warm across cells; this main-thread facade never loads TypeScript, converts Jupyter's code-point
// cursors to UTF-16 offsets and back, and merges runtime completions for `any` values. While the
// worker is still starting, completion and hover wait for its full program (bounded: a wrong
// `any` or an empty list is worse than a short wait), then answer from the runtime alone.
// is_complete answers trivial cells with a bracket scanner and never waits for a cold worker.
// Completion while typing one identifier further is answered from the last list (completionCache.ts).

import { logger } from '../common/log';
import { codePointToUtf16, utf16ToCodePoint } from '../common/codePoints';
import { CompletionCache } from './completionCache';
import { PathAnswers } from './pathAnswers';
import { identifierStart } from './identifier';
import { isCertainIncomplete, isTrivialComplete, scanIsComplete } from './isCompleteScan';
import { blankMagics } from './magics';
import { inspectBundle, jupyterType } from './render';
import { WorkerClient } from './service/client';
import type { CompletionItem, CompletionResult, IsCompleteResult, TsDiagnostic, WorkerInit } from './service/protocol';

export type { CheckMode, TsDiagnostic } from './service/protocol';
export { formatDiagnostics } from './formatDiagnostics';
export { needsTypeCheck } from './needsTypeCheck';

export interface LanguageServiceOptions {
  language: 'typescript' | 'javascript';
  notebookDir: string;
  /** Member names of the runtime value of `expr`, for completing `any`-typed member access. */
  runtimeMembers?: (expr: string) => Promise<string[]>;
  /** d.ts text declaring the kernel's globals (display, comms). */
  extraDeclarations?: string;
}

export interface CompleteReply {
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata: Record<string, unknown>;
}

/** One entry of `metadata._jupyter_types_experimental` (positions in code points). */
export interface JupyterCompletionType {
  start: number;
  end: number;
  text: string;
  type: string;
  signature: string;
}

export interface InspectReply {
  found: boolean;
  data: Record<string, string>;
}

const CHECK_TIMEOUT_MS = 30_000;
const INTERACTIVE_TIMEOUT_MS = 5_000;
/**
 * How long completion and hover wait for a worker still loading the full program: ~1 s on a quiet
 * machine, 3.5-6 s measured on a busy 2-core one. A shorter bound turns a slow first answer into
 * a wrong one (an empty list, `any`); other requests are not held up meanwhile.
 */
const COLD_WAIT_MS = 15_000;
const IS_COMPLETE_TIMEOUT_MS = 300;
const RUNTIME_MEMBERS_TIMEOUT_MS = 1_000;
/** Cells beyond this size are not sent to the compiler for interactive requests. */
const MAX_INTERACTIVE_CHARS = 1_000_000;

const log = logger('lang');

export class LanguageService {
  private readonly cells: WorkerInit['cells'] = [];
  private readonly client: WorkerClient;
  private readonly completions = new CompletionCache();
  private readonly paths = new PathAnswers();
  private pathsReady = false;
  /** The code of the last check asked: its addCell goes to the worker at once. */
  private lastChecked: string | undefined;
  /** A background request for signatures is under way (one at a time). */
  private filling = false;
  private disposed = false;

  constructor(private readonly opts: LanguageServiceOptions) {
    this.client = new WorkerClient(() => ({ language: opts.language, notebookDir: opts.notebookDir, extraDeclarations: opts.extraDeclarations, cells: [...this.cells] }), log);
  }

  /** Starts the compiler worker in the background (returns at once). */
  warmUp(): void {
    this.client.start();
  }

  /** True once the worker has loaded the compiler and the notebook's libraries. */
  get isWarm(): boolean {
    return this.client.warm;
  }

  /** True once the worker's answers come from the full program (real Node typings). */
  get isFull(): boolean {
    return this.client.full;
  }

  /** Completions answered from the last list without asking the worker (for tests). */
  get cachedCompletions(): number {
    return this.completions.hits;
  }

  /** Completions and hovers answered from kept path answers (for tests). */
  get keptAnswers(): number {
    return this.paths.hits;
  }

  /** Deadline of a completion or hover: longer while the worker is still starting. */
  private get interactiveTimeout(): number {
    return this.client.full ? INTERACTIVE_TIMEOUT_MS : COLD_WAIT_MS;
  }

  /**
   * Resolves once the worker has the full program and has taken in every cell added so far (for
   * tests and benchmarks; the kernel never needs to wait for it). Starts the worker if needed.
   */
  async idle(): Promise<void> {
    await this.client.request('ping', {}, CHECK_TIMEOUT_MS);
  }

  /** The cell about to run (or that ran) — becomes part of the program for later cells. */
  addCell(code: string, executionCount: number): void {
    this.cells.push({ code, executionCount });
    this.completions.invalidate();
    this.paths.cellAdded(code);
    // A checked cell goes at once (the worker takes it in right after its check, so the next
    // completion is fast); others are held briefly and sent together, before any later request.
    const checked = this.lastChecked === code;
    this.lastChecked = undefined;
    if (checked) this.client.notify({ type: 'addCell', code, executionCount });
    else this.client.notifyLater({ type: 'addCell', code, executionCount });
  }

  /** Diagnostics for `code` as if it were the next cell (does not add it). */
  async check(code: string): Promise<TsDiagnostic[]> {
    if (code.trim() === '') return [];
    this.lastChecked = code;
    try {
      return await this.client.request('check', { code }, CHECK_TIMEOUT_MS);
    } catch (err) {
      // Shutting down: pending checks just end.
      if (!this.disposed) log.warn('type check skipped', err);
      return [];
    }
  }

  async complete(code: string, cursorPos: number): Promise<CompleteReply> {
    const pos = codePointToUtf16(code, cursorPos);
    let r: CompletionResult;
    try {
      if (code.length > MAX_INTERACTIVE_CHARS) throw new Error(`cell too large (${code.length} characters)`);
      const kept = this.keptPaths()?.complete(code, pos);
      const cached = kept ? kept.result : this.completions.lookup(code, pos);
      if (cached) {
        r = cached;
        if (kept) this.fillSignatures(code, pos, kept.missing);
      } else {
        const generation = this.completions.current;
        const pathGeneration = this.paths.current;
        const full = this.client.full;
        r = await this.client.request('complete', { code, pos }, this.interactiveTimeout);
        if (full) this.completions.store(code, pos, r, generation);
        const missing = this.keptPaths()?.storeCompletion(code, pos, r, pathGeneration) ?? [];
        this.fillSignatures(code, pos, missing);
      }
    } catch (err) {
      log.warn('completion unavailable (runtime members only)', err);
      r = runtimeOnlyCompletion(code, pos);
    }
    const items = r.anyMemberOf !== undefined ? await this.withRuntimeMembers(r.items, r.anyMemberOf, code.slice(r.start, pos)) : r.items;
    const cursor_start = utf16ToCodePoint(code, r.start);
    const cursor_end = utf16ToCodePoint(code, r.end);
    const types: JupyterCompletionType[] = items.map((i) => ({ start: cursor_start, end: cursor_end, text: i.name, type: jupyterType(i.kind), signature: i.signature }));
    return { matches: items.map((i) => i.name), cursor_start, cursor_end, metadata: { _jupyter_types_experimental: types } };
  }

  async inspect(code: string, cursorPos: number, detailLevel: number): Promise<InspectReply> {
    const pos = codePointToUtf16(code, cursorPos);
    try {
      if (code.length > MAX_INTERACTIVE_CHARS) return { found: false, data: {} };
      const kept = this.keptPaths()?.inspect(code, pos, detailLevel);
      if (kept) return { found: true, data: inspectBundle(kept) };
      const generation = this.paths.current;
      const r = await this.client.request('inspect', { code, pos, detailLevel }, this.interactiveTimeout);
      this.keptPaths()?.storeInspect(code, pos, detailLevel, r, generation);
      return r.found ? { found: true, data: inspectBundle(r) } : { found: false, data: {} };
    } catch (err) {
      log.warn('inspection unavailable', err);
      return { found: false, data: {} };
    }
  }

  async isComplete(code: string): Promise<IsCompleteResult> {
    // A one-liner like `1 + 1` or `f(x)` needs no parser (and no worker round trip).
    const scanned = scanIsComplete(blankMagics(code));
    // ...nor does a cell with a bracket still open (the worker may be busy with a program update).
    if (isTrivialComplete(code, scanned) || isCertainIncomplete(code, scanned)) return { status: scanned.status, ...(scanned.indent !== undefined ? { indent: scanned.indent } : {}) };
    if (!this.client.warm || code.length > MAX_INTERACTIVE_CHARS) {
      this.client.start();
      return scanIsComplete(code);
    }
    try {
      return await this.client.request('isComplete', { code }, IS_COMPLETE_TIMEOUT_MS);
    } catch {
      return scanIsComplete(code);
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.client.dispose();
  }

  /** Asks the worker, in the background, for the signatures a kept member list still lacks. */
  private fillSignatures(code: string, pos: number, names: string[]): void {
    if (names.length === 0 || this.filling) return;
    this.filling = true;
    this.client
      .request('details', { code, pos, names }, this.interactiveTimeout)
      .then((found) => this.paths.addSignatures(code, pos, found))
      .catch((err: unknown) => log.debug('completion details unavailable', err))
      .finally(() => (this.filling = false));
  }

  /** The kept path answers, once the worker's full program has named the global types. */
  private keptPaths(): PathAnswers | undefined {
    if (!this.pathsReady) {
      const names = this.client.globalTypes;
      if (!names) return undefined;
      this.paths.setGlobalTypes(names);
      // Cells added while the worker was starting are not in its list: their types count as known.
      for (const c of this.cells) this.paths.cellAdded(c.code);
      this.pathsReady = true;
    }
    return this.paths;
  }

  private async withRuntimeMembers(items: CompletionItem[], expr: string, prefix: string): Promise<CompletionItem[]> {
    const ask = this.opts.runtimeMembers;
    if (!ask) return items;
    let names: string[];
    try {
      names = await withTimeout(ask(expr), RUNTIME_MEMBERS_TIMEOUT_MS);
    } catch (err) {
      log.debug('runtime members unavailable', err);
      return items;
    }
    const seen = new Set(items.map((i) => i.name));
    const lower = prefix.toLowerCase();
    const extra = names
      .filter((n) => typeof n === 'string' && !seen.has(n) && n.toLowerCase().startsWith(lower))
      .sort((a, b) => Number(!a.startsWith(prefix)) - Number(!b.startsWith(prefix)) || a.localeCompare(b))
      .map((name): CompletionItem => ({ name, kind: 'property', signature: '' }));
    return [...items, ...extra];
  }
}

/** What completion can say without the compiler: members of `expr.` come from the runtime. */
function runtimeOnlyCompletion(code: string, pos: number): CompletionResult {
  const start = identifierStart(code, pos);
  const before = /([A-Za-z_$][\w$]*(?:\s*\??\.\s*[A-Za-z_$][\w$]*)*)\s*\??\.\s*$/.exec(code.slice(0, start));
  return before ? { items: [], start, end: pos, anyMemberOf: before[1] } : { items: [], start, end: pos };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    timer.unref();
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}
