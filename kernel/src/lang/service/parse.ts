// Small parser-level helpers shared by the features: syntax errors of a text on its own, the
// innermost node at a position, and offset → line/column (column in code points).

import * as ts from 'typescript';
import { utf16ToCodePoint } from '../codePoints';

/** A source file as the parser leaves it; `parseDiagnostics` is set by every createSourceFile. */
type ParsedSourceFile = ts.SourceFile & { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] };

/** Syntax errors of `text` parsed alone (no generated suffix, no program). */
export function syntaxErrors(text: string, kind: ts.ScriptKind): readonly ts.DiagnosticWithLocation[] {
  const sf: ParsedSourceFile = ts.createSourceFile(kind === ts.ScriptKind.JS ? 'cell.js' : 'cell.ts', text, ts.ScriptTarget.ES2022, false, kind);
  return sf.parseDiagnostics ?? [];
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
