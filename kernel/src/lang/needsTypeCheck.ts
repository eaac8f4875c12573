// Whether a cell is worth a type check: a synchronous scan on the kernel's main thread (no
// TypeScript) that says false only for cells where no type error is possible — empty,
// comment-only or magic-only cells, and expressions of number and string literals joined by
// operators that are valid on them (`1 + 1`, `"a" + 2`, `(2 ** 10) % 7`). Anything else, or
// anything unusual (an identifier, a call, `"a" * 2`, bigints, escapes, regexes), answers true.

import { blankMagics } from './magics';

/** Binary operators that are valid between any two numbers. */
const NUMERIC_OPS = ['>>>', '**', '<<', '>>', '+', '-', '*', '/', '%', '&', '|', '^'];
const NUMBER = /(?:0[xX][0-9a-fA-F](?:_?[0-9a-fA-F])*|0[bB][01](?:_?[01])*|0[oO][0-7](?:_?[0-7])*|(?:(?:0|[1-9](?:_?\d)*)(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?)/y;
const SIMPLE_ESCAPE = /["'\\nrtbfv`]/;
const MAX_SCAN = 10_000;

type Token = { kind: 'num' | 'str' | 'op' | '(' | ')' | ';'; text: string; newlineBefore: boolean };

/** False when `code` cannot have a type error worth reporting; true when in doubt. */
export function needsTypeCheck(code: string): boolean {
  if (code.length > MAX_SCAN) return true;
  const tokens = tokenize(blankMagics(code));
  return tokens === undefined || !isLiteralArithmetic(tokens);
}

function tokenize(text: string): Token[] | undefined {
  const out: Token[] = [];
  let newline = false;
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029') ((newline = true), i++);
    else if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff') i++;
    else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      if (/[\n\r\u2028\u2029]/.test(text.slice(i, end))) newline = true;
      i = end + 2;
    } else if (c === '"' || c === "'" || c === '`') {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      out.push({ kind: 'str', text: text.slice(i, end), newlineBefore: newline });
      ((newline = false), (i = end));
    } else if (c === '(' || c === ')' || c === ';') {
      out.push({ kind: c, text: c, newlineBefore: newline });
      ((newline = false), i++);
    } else if ((c >= '0' && c <= '9') || (c === '.' && text[i + 1] >= '0' && text[i + 1] <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) return undefined;
      const end = i + m[0].length;
      // Legacy octals (`07`), bigints (`1n`), members (`1..x`) and `3in` are not plain numbers.
      if (/^0\d/.test(m[0]) || /[\w$.\\]/.test(text[end] ?? '')) return undefined;
      out.push({ kind: 'num', text: m[0], newlineBefore: newline });
      ((newline = false), (i = end));
    } else {
      const op = NUMERIC_OPS.find((o) => text.startsWith(o, i));
      // Assignments (`+=`), comparisons (`>=`) and increments (`++`) are never plain arithmetic.
      if (!op || text[i + op.length] === '=' || ((op === '+' || op === '-') && text[i + 1] === op)) return undefined;
      out.push({ kind: 'op', text: op, newlineBefore: newline });
      ((newline = false), (i += op.length));
    }
  }
  return out;
}

/** End (exclusive) of the string or substitution-free template starting at `start`; -1 if unusual. */
function stringEnd(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === quote) return i + 1;
    if (c === '\\') {
      if (!SIMPLE_ESCAPE.test(text[i + 1] ?? '')) return -1;
      i++;
    } else if (quote === '`' ? c === '$' && text[i + 1] === '{' : c === '\n' || c === '\r') return -1;
  }
  return -1;
}

/**
 * Statements of `unary (op unary)*`, unary = `[+-]* primary`, primary = literal or `( expr )`.
 * With a string anywhere, only `+` is allowed (`"a" * 2` is an error); `-x ** y` is a syntax error.
 */
function isLiteralArithmetic(tokens: Token[]): boolean {
  const hasString = tokens.some((t) => t.kind === 'str');
  let i = 0;
  const unary = (): boolean => {
    let prefixed = false;
    while (tokens[i]?.kind === 'op' && (tokens[i].text === '+' || (!hasString && tokens[i].text === '-'))) (i++, (prefixed = true));
    const t = tokens[i];
    if (t?.kind === 'num' || t?.kind === 'str') i++;
    else if (t?.kind === '(') {
      i++;
      if (!expr() || tokens[i]?.kind !== ')') return false;
      i++;
    } else return false;
    // `-2 ** 2` is a syntax error; `2 ** 2` is fine.
    return !(prefixed && tokens[i]?.text === '**');
  };
  const expr = (): boolean => {
    if (!unary()) return false;
    while (tokens[i]?.kind === 'op') {
      if (hasString && tokens[i].text !== '+') return false;
      i++;
      if (!unary()) return false;
    }
    return true;
  };
  while (i < tokens.length) {
    if (tokens[i].kind === ';') {
      i++;
      continue;
    }
    if (!expr()) return false;
    const next = tokens[i];
    // A statement ends at `;`, at the end, or at a line break before a new literal (ASI). A `(`
    // after a line break would continue the expression as a call.
    if (next && next.kind !== ';' && !(next.newlineBefore && (next.kind === 'num' || next.kind === 'str'))) return false;
  }
  return true;
}
