// How executed cells become a program. Every cell is a module file in the notebook directory
// (`__tskernel_cell_<n>.ts`): a generated one-line prefix, then the cell's text (magic lines
// blanked). The prefix (1) imports each name the cell mentions that an earlier cell declared, from
// the latest cell that declared it, unless this cell declares it itself, and (2) exports this
// cell's own top-level names (export lists may name later declarations). An earlier `let`/`var` is
// imported under a private alias and re-declared `declare var x: typeof alias`, so later cells may
// assign it (with its type checked), as they can at run time. The cell being checked or completed
// is `__tskernel_current.ts`, built the same way except that it imports from one aggregator
// module, `__tskernel_scope.ts` (re-exports from each name's latest definer, and imports the
// pinned cells): its module specifiers never change, and the only root files are the current
// file and fixed declaration files, so the compiler reuses the program structure for each
// keystroke and each added cell. Cells no name leads to any more leave the program (cellGraph.ts).
// Cell positions move by the prefix length only; re-declaring a name in a later cell makes that
// cell its definer (no "Cannot redeclare block-scoped variable"); `import` and top-level `await`
// work as in any module; an unclosed brace at the end of a cell cannot swallow the generated code.
// A cell that parses only as TSX (JSX, as the runner compiles it) gets a `.tsx` file (`.jsx` for
// JavaScript): a history cell at creation, the current cell by using `__tskernel_current.tsx`
// instead; both current files are root files, the unused one empty, so switching kinds keeps the
// root list. A cell's `/// <reference path|types|lib>`s, which the compiler reads only at the top
// of a file (in a cell file they follow the prefix), are repeated at the top of the aggregator:
// the current cell's for its own requests, a run cell's for the rest of the session (as tsc, where
// a reference in any file counts for the whole program).

import * as path from 'node:path';
import ts from 'typescript';
import { blankMagics } from '../magics';
import { type CellFile, CellGraph } from './cellGraph';
import { declaredNames, type DeclaredNames } from './declaredNames';
import { hasGlobalEffects, NO_REFERENCES, referenceDirectives } from './globalEffects';
import { mentionedWords } from './mentioned';
import { parseCell, parseErrors } from './parse';

/** Cells up to this long keep their parse for the next step (checked, then added: one parse). */
const MEMO_PARSE_MAX = 64 * 1024;

export interface Definer {
  /** Module specifier of the defining cell, relative to the notebook directory. */
  specifier: string;
  fileName: string;
  isConst: boolean;
  /** Declared only as `let`/`var`: re-declared as an assignable `var` in later cells. */
  isVariable: boolean;
  cell: CellFile;
}

export interface RenderedCell {
  /** The virtual file the compiler sees the cell in (by its kind: `.ts`/`.tsx`, `.js`/`.jsx`). */
  fileName: string;
  kind: ts.ScriptKind;
  /** The cell's own text with magics blanked (same length as the raw cell). */
  blanked: string;
  /** Text given to the compiler: generated prefix + `blanked`. */
  text: string;
  /** Length of the generated prefix: compiler offset = cell offset + `offset`. */
  offset: number;
  /** Names the prefix imports from earlier cells, with where they come from. */
  imported: Map<string, Definer>;
  /** Names the cell itself declares at its top level. */
  declared: ReadonlySet<string>;
  /** The current cell's syntax errors, parsed alone (set by renderCurrent). */
  syntax?: readonly ts.DiagnosticWithLocation[];
  /** The current cell's triple-slash references (set by renderCurrent). */
  references?: readonly string[];
}

/** What adding a cell changed: its file (undefined when it was dropped at once) and the dropped files. */
export interface AddResult {
  added: CellFile | undefined;
  dropped: string[];
}

/** An executed cell parsed, before it is added (see NotebookModel.preview). */
export interface CellPreview {
  blanked: string;
  kind: ts.ScriptKind;
  names: DeclaredNames;
  /** Has effects beyond its names (global declarations, augmentations, side-effect imports). */
  pinned: boolean;
  /** Its triple-slash references, one line each. */
  references: readonly string[];
}

/** Which earlier names a cell imports: all (completion, inspection) or those it mentions (see importsOf). */
export type ImportScope = 'all' | 'mentioned';

const PREFIX = '__tskernel_';
/** Alias prefix of re-declared earlier variables; completions hide these names. */
export const ALIAS_PREFIX = '__tsk_';

const SCOPE_SPECIFIER = `./${PREFIX}scope`;

const KINDS: ReadonlyMap<string, ts.ScriptKind> = new Map([
  ['.ts', ts.ScriptKind.TS],
  ['.tsx', ts.ScriptKind.TSX],
  ['.js', ts.ScriptKind.JS],
  ['.jsx', ts.ScriptKind.JSX],
]);

export class NotebookModel {
  /** The current cell's file when it is not JSX. */
  readonly currentFile: string;
  /** The current cell's file when it is JSX. */
  readonly currentJsxFile: string;
  /** Aggregator re-exporting every earlier cell's names from their latest definers. */
  readonly scopeFile: string;
  private readonly definers = new Map<string, Definer>();
  private readonly graph = new CellGraph();
  private seq = 0;
  private lastCurrent: { code: string; scope: ImportScope; rendered: RenderedCell } | undefined;
  private lastParse: { blanked: string; sf: ts.SourceFile; kind: ts.ScriptKind } | undefined;
  /** The scope module's text without the current cell's references (scopeText), until the next added cell. */
  private scope: { refs: ReadonlySet<string>; text: string } | undefined;

  constructor(
    readonly dir: string,
    private readonly ext: '.ts' | '.js',
  ) {
    this.currentFile = path.join(dir, `${PREFIX}current${ext}`);
    this.currentJsxFile = path.join(dir, `${PREFIX}current${ext}x`);
    this.scopeFile = path.join(dir, `${PREFIX}scope${ext}`);
  }

  /**
   * Text of the aggregator module: the triple-slash references of the live cells and of the
   * current cell (`current`) first, where the compiler reads them (in a cell file they follow the
   * generated prefix, as comments); then the re-exports and the pinned cells' imports.
   */
  scopeText(current: readonly string[] = NO_REFERENCES): string {
    if (!this.scope) {
      const refs = new Set<string>();
      for (const cell of this.graph.pinned()) for (const line of cell.references) refs.add(line);
      this.scope = { refs, text: (refs.size > 0 ? [...refs, ''].join('\n') : '') + this.scopeBody() };
    }
    const extra = current.filter((line) => !this.scope!.refs.has(line));
    return extra.length === 0 ? this.scope.text : [...extra, ''].join('\n') + this.scope.text;
  }

  private scopeBody(): string {
    const bySource = new Map<string, string[]>();
    for (const [name, def] of this.definers) {
      const list = bySource.get(def.specifier);
      if (list) list.push(name);
      else bySource.set(def.specifier, [name]);
    }
    let text = '';
    for (const [spec, names] of bySource) text += `export { ${names.join(', ')} } from '${spec}';\n`;
    for (const cell of this.graph.pinned()) text += `import '${cell.specifier}';\n`;
    return text;
  }

  /** The language's plain (non-JSX) kind. */
  get scriptKind(): ts.ScriptKind {
    return this.ext === '.ts' ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  }

  /** Both current-cell files: always root files, the one not in use empty. */
  get currentFiles(): readonly string[] {
    return [this.currentFile, this.currentJsxFile];
  }

  /** Script kind of a virtual file, by its extension. */
  kindOf(fileName: string): ts.ScriptKind {
    return KINDS.get(path.extname(fileName)) ?? this.scriptKind;
  }

  /** Live history cell files, oldest first. */
  historyFiles(): string[] {
    return this.graph.files().map((c) => c.fileName);
  }

  textOf(fileName: string): string | undefined {
    return this.graph.get(fileName)?.text;
  }

  /** The virtual file a `./__tskernel_cell_<n>` or the scope specifier names, if any. */
  resolveVirtual(specifier: string): string | undefined {
    if (!specifier.startsWith(`./${PREFIX}`)) return undefined;
    return specifier === SCOPE_SPECIFIER ? this.scopeFile : this.graph.bySpec(specifier)?.fileName;
  }

  isVirtual(fileName: string): boolean {
    return path.basename(fileName).startsWith(PREFIX) && path.dirname(fileName) === this.dir;
  }

  /** `Cell [n]` for a history file, `this cell` for the current one. */
  labelOf(fileName: string): string | undefined {
    return this.currentFiles.includes(fileName) ? 'this cell' : this.graph.get(fileName)?.label;
  }

  /** Parses an executed cell: what it declares and whether it has global effects (no model change). */
  preview(code: string): CellPreview {
    const blanked = blankMagics(code);
    const { sf, kind } = this.parse(blanked);
    return { blanked, kind, names: declaredNames(sf), pinned: hasGlobalEffects(sf), references: referenceDirectives(sf) };
  }

  /** Adds an executed cell; its names now shadow earlier definitions; superseded cells may drop out. */
  add(code: string, executionCount: number, preview: CellPreview = this.preview(code)): AddResult {
    const n = ++this.seq;
    this.lastCurrent = undefined;
    this.scope = undefined;
    const { blanked, kind, names, pinned, references } = preview;
    if (names.names.length === 0 && !pinned) return { added: undefined, dropped: [] };
    const specifier = `./${PREFIX}cell_${n}`;
    const fileName = path.join(this.dir, `${PREFIX}cell_${n}${this.ext}${kind === this.scriptKind ? '' : 'x'}`);
    const rendered = this.render(blanked, names, 'mentioned', true, fileName, kind);
    const deps = new Set<CellFile>();
    for (const def of rendered.imported.values()) deps.add(def.cell);
    const cell: CellFile = {
      fileName,
      specifier,
      label: `Cell [${executionCount}]`,
      text: rendered.text,
      deps: [...deps],
      pinned,
      references,
      latestNames: names.names.length,
      refs: 0,
    };
    this.graph.add(cell);
    const dropped: string[] = [];
    for (const name of names.names) {
      const old = this.definers.get(name);
      this.definers.set(name, { specifier, fileName: cell.fileName, isConst: names.consts.has(name), isVariable: names.variables.has(name), cell });
      if (old) this.graph.supersede(old.cell, dropped);
    }
    return { added: cell, dropped };
  }

  /** The not-yet-executed cell as the compiler sees it (memoized for the last code). */
  renderCurrent(code: string, scope: ImportScope = 'all'): RenderedCell {
    const last = this.lastCurrent;
    if (last?.code === code && last.scope === scope) return last.rendered;
    const blanked = blankMagics(code);
    const { sf, kind } = this.parse(blanked);
    const fileName = kind === this.scriptKind ? this.currentFile : this.currentJsxFile;
    const rendered = this.render(blanked, declaredNames(sf), scope, false, fileName, kind);
    rendered.syntax = parseErrors(sf);
    rendered.references = referenceDirectives(sf);
    this.lastCurrent = { code, scope, rendered };
    return rendered;
  }

  /**
   * `blanked` parsed as a cell, reusing the last parse of the same text: a checked cell is parsed
   * to render it, then again when it is added (and when a check previews the queue).
   */
  private parse(blanked: string): { sf: ts.SourceFile; kind: ts.ScriptKind } {
    const last = this.lastParse;
    if (last?.blanked === blanked) return last;
    const parsed = parseCell(blanked, this.scriptKind);
    this.lastParse = blanked.length <= MEMO_PARSE_MAX ? { blanked, ...parsed } : undefined;
    return parsed;
  }

  /**
   * Earlier definitions the cell imports. With scope 'mentioned' (history cells, and the current
   * cell when checked) only the names it mentions: a cell then depends only on cells it can refer
   * to, and a check's program changes by the current file alone when the other cells did not
   * change. Type names in messages still read as written (the checker names a type by its
   * declaration; see diagnostics.ts for the one qualifier it adds). With scope 'all' (completion,
   * inspection) every name, so all are offered.
   */
  private importsOf(blanked: string, own: Set<string>, scope: ImportScope): Array<[string, Definer]> {
    const words = scope === 'mentioned' ? mentionedWords(blanked) : undefined;
    const out: Array<[string, Definer]> = [];
    if (words && words.size < this.definers.size) {
      for (const name of words) {
        const def = own.has(name) ? undefined : this.definers.get(name);
        if (def) out.push([name, def]);
      }
      return out;
    }
    for (const [name, def] of this.definers) {
      if (own.has(name) || (words && !words.has(name))) continue;
      out.push([name, def]);
    }
    return out;
  }

  private render(blanked: string, names: DeclaredNames, scope: ImportScope, exportOwn: boolean, fileName: string, kind: ts.ScriptKind): RenderedCell {
    const imported = new Map<string, Definer>();
    const declared = new Set(names.names);
    const bySource = new Map<string, string[]>();
    const redeclared: string[] = [];
    for (const [name, def] of this.importsOf(blanked, declared, scope)) {
      imported.set(name, def);
      const from = exportOwn ? def.specifier : SCOPE_SPECIFIER;
      const list = bySource.get(from) ?? [];
      bySource.set(from, list);
      if (def.isVariable && this.scriptKind === ts.ScriptKind.TS) {
        list.push(`${name} as ${ALIAS_PREFIX}${name}`);
        redeclared.push(`declare var ${name}: typeof ${ALIAS_PREFIX}${name};`);
      } else list.push(name);
    }
    let prefix = '';
    for (const [spec, list] of bySource) prefix += `import { ${list.join(', ')} } from '${spec}'; `;
    // The current cell always imports the aggregator (also for its pinned cells), so its module
    // specifiers never change.
    if (!exportOwn && bySource.size === 0) prefix += `import '${SCOPE_SPECIFIER}'; `;
    prefix += redeclared.join(' ');
    const exported = exportOwn ? names.names.filter((name) => !names.exported.has(name)) : [];
    if (exported.length) prefix += ` export { ${exported.join(', ')} };`;
    if (prefix) prefix += ' ';
    return { fileName, kind, blanked, text: prefix + blanked, offset: prefix.length, imported, declared };
  }
}
