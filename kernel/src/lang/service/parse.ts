// Small parser-level helpers shared by the features: syntax errors of a text on its own, a cell's
// script kind (JSX or not), the innermost node at a position, and offset → line/column (column in
// code points).

import ts from 'typescript';
import { utf16ToCodePoint } from '../../common/codePoints';

/** A source file as the parser leaves it; `parseDiagnostics` is set by every createSourceFile. */
type ParsedSourceFile = ts.SourceFile & { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] };

const CELL_NAMES: ReadonlyMap<ts.ScriptKind, string> = new Map([
  [ts.ScriptKind.TS, 'cell.ts'],
  [ts.ScriptKind.TSX, 'cell.tsx'],
  [ts.ScriptKind.JS, 'cell.js'],
  [ts.ScriptKind.JSX, 'cell.jsx'],
]);

function parseAs(text: string, kind: ts.ScriptKind): ParsedSourceFile {
  return ts.createSourceFile(CELL_NAMES.get(kind) ?? 'cell.ts', text, ts.ScriptTarget.ES2022, false, kind);
}

/** Syntax errors of `text` parsed alone (no generated suffix, no program). */
export function syntaxErrors(text: string, kind: ts.ScriptKind): readonly ts.DiagnosticWithLocation[] {
  return parseErrors(parseAs(text, kind));
}

/** The syntax errors the parser found in `sf`. */
export function parseErrors(sf: ts.SourceFile): readonly ts.DiagnosticWithLocation[] {
  return (sf as ParsedSourceFile).parseDiagnostics ?? [];
}

/**
 * A cell parsed as the runner compiles it (transpile/cell.ts): as TypeScript, or as TSX when it
 * fails as TypeScript and parses cleanly as TSX. Not TSX for every cell: in TSX `<T>(x: T) => x`
 * and `<number>x` do not parse. JavaScript (`base` JS) already parses JSX, so it stays JS.
 */
export function parseCell(text: string, base: ts.ScriptKind): { sf: ts.SourceFile; kind: ts.ScriptKind } {
  const sf = parseAs(text, base);
  if (base !== ts.ScriptKind.TS || (sf.parseDiagnostics ?? []).length === 0) return { sf, kind: base };
  const tsx = parseAs(text, ts.ScriptKind.TSX);
  return (tsx.parseDiagnostics ?? []).length === 0 ? { sf: tsx, kind: ts.ScriptKind.TSX } : { sf, kind: base };
}

/** The innermost node whose span (without leading trivia) contains `pos` or ends at it. */
export function nodeAt(sf: ts.SourceFile, pos: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.kind !== ts.SyntaxKind.EndOfFileToken && node.getStart(sf) <= pos && pos <= node.getEnd()) {
      found = node;
      ts.forEachChild(node, visit);
    }
  };
  ts.forEachChild(sf, visit);
  return found;
}

/** 1-based line and code-point column of a UTF-16 offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lineStart = before.lastIndexOf('\n') + 1;
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
  return { line, column: utf16ToCodePoint(before.slice(lineStart), before.length - lineStart) + 1 };
}
