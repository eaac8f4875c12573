// is_complete from the TypeScript parser: no syntax errors → complete; every error at the end of
// the text (unclosed brace, parenthesis or template, a trailing operator, an `if (…)` without a
// body) → incomplete, with an indent one level deeper per open bracket; any other error → invalid.
// A cell that parses only as TSX is JSX, complete as the runner compiles it.

import ts from 'typescript';
import type { IsCompleteResult } from './protocol';
import { syntaxErrors } from './parse';
import { lastIndent, scanIsComplete } from '../isCompleteScan';
import { blankMagics } from '../magics';

/** Errors that can never be fixed by typing more lines. */
const UNFIXABLE = new Set([
  1002, // Unterminated string literal.
  1161, // Unterminated regular expression literal.
]);

export function isCompleteTs(code: string, kind: ts.ScriptKind): IsCompleteResult {
  const text = blankMagics(code);
  if (text.trim() === '') return { status: 'complete' };
  const errors = syntaxErrors(text, kind);
  if (errors.length === 0) return { status: 'complete' };
  // A JSX cell (fails as TypeScript, parses as TSX) is complete, as the runner compiles it.
  if (kind === ts.ScriptKind.TS && syntaxErrors(text, ts.ScriptKind.TSX).length === 0) return { status: 'complete' };
  const end = text.trimEnd().length;
  const atEnd = errors.every((e) => e.start >= end && !UNFIXABLE.has(e.code));
  if (!atEnd) return { status: 'invalid' };
  const scan = scanIsComplete(text);
  return { status: 'incomplete', indent: scan.status === 'incomplete' ? (scan.indent ?? '') : lastIndent(text) + '  ' };
}
