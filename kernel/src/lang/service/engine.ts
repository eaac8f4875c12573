// The compiler side of the language service, run inside the worker: one warm LanguageService over
// the notebook model. Each feature call first puts the request's cell text into the virtual
// "current" file (a new program reuses every unchanged file and resolution), then asks the
// feature module. Start is staged: first a program with the ES libs and a small Node stand-in
// (ready in a few hundred ms), then, one file per `stepStart()`, the real Node typings are
// parsed and the full program replaces it. Added cells are only queued (addCell is called for
// every executed cell, also with type checking off): they are taken into the model when a request
// needs the program, or in batches, so a burst of cells costs no compiler work. A type check takes
// them in only if it can depend on them: otherwise the program keeps its structure and the check
// costs a new checker over the same files, not a rebuild (the worker takes them in when quiet).

import * as path from 'node:path';
import ts from 'typescript';
import { compilerOptionsFor, nodeTypesFallback } from './config';
import { NotebookHost } from './host';
import { AutomaticTypes } from './automaticTypes';
import { type CellPreview, type ImportScope, NotebookModel, type RenderedCell } from './notebookModel';
import { mentionedWords } from './mentioned';
import { blankMagics } from '../magics';
import { cellDiagnostics } from './diagnostics';
import { completeAt, detailsAt } from './completions';
import { inspectAt } from './quickInfo';
import { PROGRAM_JSDOC_MODE } from './docComments';
import { isCompleteTs } from './isCompleteTs';
import { NODE_SHIM } from './nodeShim';
import { Preparser } from './preparse';
import type { CompletionResult, InspectResult, IsCompleteResult, TsDiagnostic, WorkerInit } from './protocol';

/** Queued cells taken into the model at once without waiting for a request (bounds the queue). */
const MAX_QUEUED_CELLS = 256;
/** Cells that import or require something: their typings may add globals, so checks take them in. */
const IMPORTS = /\bimport\b|\brequire\s*\(/;

interface QueuedCell {
  code: string;
  executionCount: number;
  /** Parsed when a check first asks what the cell declares (then reused when it is added). */
  preview?: CellPreview;
}

export class Engine {
  private readonly model: NotebookModel;
  private readonly host: NotebookHost;
  private readonly ls: ts.LanguageService;
  private options: ts.CompilerOptions;
  /** Set when the notebook's tsconfig names no `types`: its @types packages are all included. */
  private readonly autoTypes: AutomaticTypes | undefined;
  private readonly roots: string[] = [];
  private preparser: Preparser | undefined;
  private readonly queued: QueuedCell[] = [];

  constructor(init: WorkerInit) {
    const dir = path.resolve(init.notebookDir);
    this.model = new NotebookModel(dir, init.language === 'javascript' ? '.js' : '.ts');
    const options = compilerOptionsFor(init.language, dir);
    this.autoTypes = options.types === undefined ? new AutomaticTypes(options, dir) : undefined;
    this.options = this.autoTypes ? { ...options, types: [...this.autoTypes.current()] } : options;
    const nodeTypes = nodeTypesFallback(dir);
    if (nodeTypes) this.roots.push(nodeTypes);
    const globalsFile = path.join(dir, '__tskernel_globals.d.ts');
    const shimFile = path.join(dir, '__tskernel_node_shim.d.ts');
    if (init.extraDeclarations) this.roots.push(globalsFile);
    const early = [shimFile, ...this.roots.filter((r) => r !== nodeTypes)];
    this.host = new NotebookHost(this.model, { ...this.options, types: [] }, early);
    this.host.setFile(shimFile, NODE_SHIM);
    this.host.setFile(this.model.scopeFile, '');
    for (const file of this.model.currentFiles) this.host.setFile(file, '');
    if (init.extraDeclarations) this.host.setFile(globalsFile, init.extraDeclarations);
    const registry = ts.createDocumentRegistry(undefined, undefined, PROGRAM_JSDOC_MODE);
    this.ls = ts.createLanguageService(this.host, registry);
    this.preparser = new Preparser(nodeTypes ? [nodeTypes] : [], this.options, this.host, registry);
    for (const c of init.cells) this.addCell(c.code, c.executionCount);
  }

  /** True once the full program (real Node typings) is in use. */
  get full(): boolean {
    return this.preparser === undefined;
  }

  /** Builds the first (early) program and its checker, so the first request is fast. */
  warm(): void {
    this.sync('');
  }

  /** One step of the staged start; returns true while more steps remain. */
  stepStart(): boolean {
    if (!this.preparser) return false;
    if (this.preparser.step()) return true;
    this.preparser = undefined;
    this.host.reconfigure(this.options, this.roots);
    this.sync('');
    return false;
  }

  /** Names of the types (and namespaces) in scope in an empty cell: lib, Node and kernel globals. */
  globalTypes(): string[] {
    const cell = this.sync('');
    const program = this.ls.getProgram();
    const sf = program?.getSourceFile(cell.fileName);
    if (!program || !sf) return [];
    const flags = ts.SymbolFlags.Type | ts.SymbolFlags.Namespace;
    return program
      .getTypeChecker()
      .getSymbolsInScope(sf, flags)
      .map((s) => s.name);
  }

  /** Queues an executed cell; it becomes part of the program at the next request. */
  addCell(code: string, executionCount: number): void {
    this.queued.push({ code, executionCount });
    if (this.queued.length >= MAX_QUEUED_CELLS) this.takeQueued();
  }

  /** Live history cell files (for tests and diagnostics of the service itself). */
  liveCells(): string[] {
    this.takeQueued();
    return this.model.historyFiles();
  }

  /** Takes in queued cells and rebuilds the program now. */
  refresh(): void {
    this.takeQueued();
    this.host.newRequest();
    this.ls.getProgram();
    this.host.resolutionsSettled();
  }

  /**
   * Takes queued cells into the program now, with an empty current cell rendered as completion
   * and hover render it, so their next request only re-parses and re-checks the current cell.
   */
  prepare(): void {
    this.sync('');
  }

  /**
   * Diagnostics of `code` as the next cell. Queued cells are taken in first only if the check can
   * depend on them (see queuedMatter): otherwise the program keeps its structure and only the
   * current file changes, and the rebuild waits for a request that needs it or a quiet moment.
   */
  check(code: string): TsDiagnostic[] {
    if (this.queuedMatter(code)) this.takeQueued();
    // A cell importing a package that failed to resolve before (installed since) must not fail again.
    if (IMPORTS.test(code)) this.host.retryFailedResolutions();
    const cell = this.sync(code, 'mentioned', false);
    return cellDiagnostics(this.ls, cell, (spec) => {
      const file = this.model.resolveVirtual(spec);
      return file === undefined ? undefined : this.model.labelOf(file);
    });
  }

  /** True while executed cells wait to be taken into the program. */
  get hasQueued(): boolean {
    return this.queued.length > 0;
  }

  complete(code: string, pos: number): CompletionResult {
    const cell = this.sync(code);
    return completeAt(this.ls, cell, clamp(pos, cell.blanked.length));
  }

  details(code: string, pos: number, names: string[]): Array<{ name: string; signature: string }> {
    const cell = this.sync(code);
    return detailsAt(this.ls, cell, clamp(pos, cell.blanked.length), names);
  }

  inspect(code: string, pos: number, detailLevel: number): InspectResult {
    const cell = this.sync(code);
    return inspectAt(this.ls, this.model, cell, clamp(pos, cell.blanked.length), detailLevel, this.host.libOrigin);
  }

  isComplete(code: string): IsCompleteResult {
    return isCompleteTs(code, this.model.scriptKind);
  }

  dispose(): void {
    this.ls.dispose();
  }

  /**
   * Whether a check of `code` can depend on a queued cell: the code mentions a name one declares
   * (a check sees only the earlier names its cell mentions), or one has effects beyond its names
   * (global declarations, imports whose typings may add globals), or either imports (a failed
   * package resolution is retried when cells with imports are taken in).
   */
  private queuedMatter(code: string): boolean {
    if (this.queued.length === 0) return false;
    const words = mentionedWords(blankMagics(code));
    if (!words || IMPORTS.test(code)) return true;
    for (const q of this.queued) {
      if (IMPORTS.test(q.code)) return true;
      q.preview ??= this.model.preview(q.code);
      if (q.preview.pinned || q.preview.names.names.some((n) => words.has(n))) return true;
    }
    return false;
  }

  /** Moves queued cells into the model and the host's virtual files (no program work). */
  private takeQueued(): void {
    if (this.queued.length === 0) return;
    let imports = false;
    for (const { code, executionCount, preview } of this.queued.splice(0)) {
      const { added, dropped } = this.model.add(code, executionCount, preview);
      if (added) this.host.setFile(added.fileName, added.text);
      for (const file of dropped) this.host.deleteFile(file);
      imports ||= IMPORTS.test(code);
    }
    this.host.setFile(this.model.scopeFile, this.model.scopeText());
    if (imports) this.host.retryFailedResolutions();
  }

  /** Includes @types packages installed (or leaves out those removed) since the last look. */
  private refreshTypes(): void {
    if (!this.autoTypes || this.preparser) return;
    const types = this.autoTypes.current();
    const old = this.options.types ?? [];
    if (types.length === old.length && types.every((t, i) => t === old[i])) return;
    this.options = { ...this.options, types: [...types] };
    this.host.reconfigure(this.options, this.roots);
  }

  private sync(code: string, scope: ImportScope = 'all', take = true): RenderedCell {
    if (take) this.takeQueued();
    this.refreshTypes();
    const cell = this.model.renderCurrent(code, scope);
    // The other current file is emptied, so a JSX cell's stale text is not kept in the program.
    for (const file of this.model.currentFiles) this.host.setFile(file, file === cell.fileName ? cell.text : '');
    // The cell's own `/// <reference>`s count for its program (a no-op unless they change).
    this.host.setFile(this.model.scopeFile, this.model.scopeText(cell.references));
    this.host.newRequest();
    this.ls.getProgram();
    this.host.resolutionsSettled();
    return cell;
  }
}

function clamp(pos: number, max: number): number {
  return Math.max(0, Math.min(Number.isFinite(pos) ? Math.floor(pos) : max, max));
}
