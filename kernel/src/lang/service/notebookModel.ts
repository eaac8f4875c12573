// How executed cells become a program. Every cell is a module file in the notebook directory
// (`__tskernel_cell_<n>.ts`): a generated one-line prefix, then the cell's text (magic lines
// blanked). The prefix (1) imports each name declared by an earlier cell from the latest cell that
// declared it, unless this cell declares it itself, and (2) exports this cell's own top-level
// names (export lists may name later declarations). An earlier `let`/`var` is imported under a
// private alias and re-declared `declare var x: typeof alias`, so later cells may assign it (with
// its type checked), as they can at run time. The cell being checked or completed is
// `__tskernel_current.ts`, built the same way except that it imports every earlier name from one
// aggregator module, `__tskernel_scope.ts` (re-exports from each name's latest definer): its
// module specifiers then never change as the user types, so the compiler can reuse the whole
// program structure for each keystroke. Cell positions move by the prefix length only;
// re-declaring a name in a later cell makes that cell its definer (no "Cannot redeclare
// block-scoped variable"); `import` and top-level `await` work as in any module; an unclosed
// brace at the end of a cell cannot swallow the generated code.

import * as path from 'node:path';
import * as ts from 'typescript';
import { blankMagics } from '../magics';
import { declaredNames, DeclaredNames } from './declaredNames';

export interface Definer {
  /** Module specifier of the defining cell, relative to the notebook directory. */
  specifier: string;
  fileName: string;
  isConst: boolean;
  /** Declared only as `let`/`var`: re-declared as an assignable `var` in later cells. */
  isVariable: boolean;
}

export interface RenderedCell {
  /** The cell's own text with magics blanked (same length as the raw cell). */
  blanked: string;
  /** Text given to the compiler: generated prefix + `blanked`. */
  text: string;
  /** Length of the generated prefix: compiler offset = cell offset + `offset`. */
  offset: number;
  /** Names the suffix imports from earlier cells, with where they come from. */
  imported: Map<string, Definer>;
}

const PREFIX = '__tskernel_';
/** Alias prefix of re-declared earlier variables; completions hide these names. */
export const ALIAS_PREFIX = '__tsk_';

const SCOPE_SPECIFIER = `./${PREFIX}scope`;

export class NotebookModel {
  readonly currentFile: string;
  /** Aggregator re-exporting every earlier cell's names from their latest definers. */
  readonly scopeFile: string;
  private readonly definers = new Map<string, Definer>();
  private readonly files = new Map<string, string>();
  private readonly labels = new Map<string, string>();
  private readonly bySpecifier = new Map<string, string>();
  private seq = 0;
  private lastCurrent: { code: string; rendered: RenderedCell } | undefined;

  constructor(
    readonly dir: string,
    private readonly ext: '.ts' | '.js',
  ) {
    this.currentFile = path.join(dir, `${PREFIX}current${ext}`);
    this.scopeFile = path.join(dir, `${PREFIX}scope${ext}`);
    this.bySpecifier.set(SCOPE_SPECIFIER, this.scopeFile);
  }

  /** Text of the aggregator module. */
  scopeText(): string {
    const bySource = new Map<string, string[]>();
    for (const [name, def] of this.definers) bySource.set(def.specifier, [...(bySource.get(def.specifier) ?? []), name]);
    return [...bySource].map(([spec, names]) => `export { ${names.join(', ')} } from '${spec}';\n`).join('');
  }

  get scriptKind(): ts.ScriptKind {
    return this.ext === '.ts' ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  }

  /** History cell files, oldest first. */
  historyFiles(): string[] {
    return [...this.files.keys()];
  }

  textOf(fileName: string): string | undefined {
    return this.files.get(fileName);
  }

  /** The virtual file a `./__tskernel_cell_<n>` specifier names, if any. */
  resolveVirtual(specifier: string): string | undefined {
    return specifier.startsWith(`./${PREFIX}`) ? this.bySpecifier.get(specifier) : undefined;
  }

  isVirtual(fileName: string): boolean {
    return path.basename(fileName).startsWith(PREFIX) && path.dirname(fileName) === this.dir;
  }

  /** `Cell [n]` for a history file, `this cell` for the current one. */
  labelOf(fileName: string): string | undefined {
    return fileName === this.currentFile ? 'this cell' : this.labels.get(fileName);
  }

  /** Adds an executed cell; its names now shadow earlier definitions. Returns its file name. */
  add(code: string, executionCount: number): string {
    const n = ++this.seq;
    const specifier = `./${PREFIX}cell_${n}`;
    const fileName = path.join(this.dir, `${PREFIX}cell_${n}${this.ext}`);
    const rendered = this.render(code, true);
    this.files.set(fileName, rendered.cell.text);
    this.bySpecifier.set(specifier, fileName);
    this.labels.set(fileName, `Cell [${executionCount}]`);
    for (const name of rendered.names.names) {
      this.definers.set(name, { specifier, fileName, isConst: rendered.names.consts.has(name), isVariable: rendered.names.variables.has(name) });
    }
    this.lastCurrent = undefined;
    return fileName;
  }

  /** The not-yet-executed cell as the compiler sees it (memoized for the last code). */
  renderCurrent(code: string): RenderedCell {
    if (this.lastCurrent?.code === code) return this.lastCurrent.rendered;
    const rendered = this.render(code, false).cell;
    this.lastCurrent = { code, rendered };
    return rendered;
  }

  private render(code: string, exportOwn: boolean): { cell: RenderedCell; names: DeclaredNames } {
    const blanked = blankMagics(code);
    const sf = ts.createSourceFile(this.currentFile, blanked, ts.ScriptTarget.ES2022, false, this.scriptKind);
    const names = declaredNames(sf);
    const own = new Set(names.names);
    const imported = new Map<string, Definer>();
    const bySource = new Map<string, string[]>();
    const redeclared: string[] = [];
    for (const [name, def] of this.definers) {
      if (own.has(name)) continue;
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
    prefix += redeclared.join(' ');
    const exported = exportOwn ? names.names.filter((name) => !names.exported.has(name)) : [];
    if (exported.length) prefix += ` export { ${exported.join(', ')} };`;
    if (prefix) prefix += ' ';
    return { cell: { blanked, text: prefix + blanked, offset: prefix.length, imported }, names };
  }
}
