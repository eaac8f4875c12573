// Type-check diagnostics for the next cell, mapped into the cell's own text. Syntax errors of the
// cell alone come first (and alone, as with tsc: semantic errors on broken syntax are noise).
// Fixes up what the cell model would otherwise get wrong: assigning to a name from an earlier cell
// is legal at run time (the runtime turns top-level declarations into `var`s), except for a
// `const`; an untyped package is a warning, not an error. Errors inside the generated prefix are
// not the user's and are dropped.

import ts from 'typescript';
import type { TsDiagnostic } from './protocol';
import type { RenderedCell } from './notebookModel';
import { lineColumn, syntaxErrors } from './parse';

const CANNOT_ASSIGN_TO_IMPORT = 2632;
const CANNOT_ASSIGN_TO_CONST = 2588;
const NO_DECLARATION_FILE = 7016;
/**
 * The qualifier the checker puts before some types declared in other cells (an enum member's
 * enum, a type this cell shadows): `import("/dir/__tskernel_cell_3").Color`. It names a file the
 * user never sees: it goes, unless this cell declares the same name, where it becomes the cell's
 * label (`Cell [3].P`), so `P` and `P` are told apart.
 */
const CELL_QUALIFIER = /import\("[^"]*\/(__tskernel_[A-Za-z0-9_]+)(?:\.[jt]sx?)?"\)\.([\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*)/gu;

/** Where a cell's module specifier leads (its label, e.g. `Cell [3]`), for messages. */
export type CellLabeler = (specifier: string) => string | undefined;

export function cellDiagnostics(ls: ts.LanguageService, cell: RenderedCell, labelOf: CellLabeler): TsDiagnostic[] {
  const { blanked: code, fileName } = cell;
  const syntax = cell.syntax ?? syntaxErrors(code, cell.kind);
  if (syntax.length > 0) return syntax.map((d) => toTsDiagnostic(d, code, 'error'));
  const unqualify = (text: string): string =>
    text.replace(CELL_QUALIFIER, (_m, base: string, name: string) => (cell.declared.has(name) ? `${labelOf(`./${base}`) ?? 'an earlier cell'}.${name}` : name));
  const out: TsDiagnostic[] = [];
  const all = [...ls.getSyntacticDiagnostics(fileName), ...ls.getSemanticDiagnostics(fileName)];
  for (const raw of all) {
    if (raw.start === undefined || raw.start < cell.offset || raw.start - cell.offset > code.length) continue;
    const d = { ...raw, start: raw.start - cell.offset };
    if (d.code === CANNOT_ASSIGN_TO_IMPORT) {
      const name = code.slice(d.start, d.start + (d.length ?? 0));
      const def = cell.imported.get(name);
      if (!def) out.push(toTsDiagnostic(d, code, undefined, unqualify));
      else if (def.isConst) {
        const message = `Cannot assign to '${name}' because it is a constant.`;
        out.push({ ...lineColumn(code, d.start), code: CANNOT_ASSIGN_TO_CONST, message, category: 'error' });
      }
      continue;
    }
    out.push(toTsDiagnostic(d, code, d.code === NO_DECLARATION_FILE ? 'warning' : undefined, unqualify));
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

function toTsDiagnostic(d: ts.Diagnostic, code: string, category?: TsDiagnostic['category'], fix = (text: string) => text): TsDiagnostic {
  return {
    ...lineColumn(code, d.start ?? 0),
    code: d.code,
    message: fix(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    category: category ?? categoryOf(d.category),
  };
}

function categoryOf(c: ts.DiagnosticCategory): TsDiagnostic['category'] {
  switch (c) {
    case ts.DiagnosticCategory.Error:
      return 'error';
    case ts.DiagnosticCategory.Warning:
      return 'warning';
    default:
      return 'suggestion';
  }
}
