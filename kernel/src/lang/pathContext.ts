// Reads, without a parser, whether a completion or hover request is about a plain dotted path of
// names from earlier cells or the globals (`arr.fil|`, `Math.max(1, 2)` with the cursor on `max`),
// in a cell whose other text cannot change what the path means. Such a request has the same answer
// in every cell, until a later cell changes one of the names it depends on, so the language
// service can keep it (pathAnswers.ts). Everything uncertain answers "not plain": strings,
// comments, template literals, regular expressions, JSX, type positions, declarations that merge
// into existing types (interface, declare, namespace, module), imports, non-ASCII text, and any
// name of the path's root (or of a call's arguments) written elsewhere in the cell, where it could
// be redeclared, shadowed or narrowed.

/** A request the language service may answer from what it kept. */
export interface PathRequest {
  /** Kept-answer key: what the answer depends on in the request's text. */
  key: string;
  /** Names whose redeclaration (or any later mention) could change the answer. */
  deps: string[];
}

export interface MemberRequest extends PathRequest {
  /** The partial member name being completed, and where it starts (UTF-16). */
  prefix: string;
  start: number;
}

const WORD = /[A-Za-z_$][\w$]*/g;
/** Words that make a cell's meaning depend on more than its text or that merge into other types. */
const UNSAFE_WORD = /(?:^|[^\w$])(?:interface|declare|namespace|module|import|require|eval|with)(?![\w$])/;
/** Words before a path that keep it an expression (value position). */
const VALUE_KEYWORDS = new Set(['return', 'await', 'yield', 'throw', 'in', 'of', 'void', 'delete', 'case', 'else', 'do', 'new']);
/** Roots that are not names from earlier cells. */
const RESERVED = new Set(
  (
    'this super arguments new typeof void delete await yield return in of instanceof true false null undefined function class const ' +
    'let var if else for while do switch case default break continue throw try catch finally import export type as satisfies enum async ' +
    'get set static keyof infer is declare abstract readonly'
  ).split(' '),
);

/** Completion of `path.prefix` at `pos`, when the answer only depends on `path`. */
export function memberRequest(code: string, pos: number): MemberRequest | undefined {
  if (!plainCell(code) || !inCode(code, pos)) return undefined;
  let start = pos;
  while (start > 0 && /[\w$]/.test(code[start - 1])) start--;
  const m = /([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)\s*\.\s*$/.exec(code.slice(0, start));
  if (!m || !valueBefore(code, m.index)) return undefined;
  const path = m[1].replace(/\s+/g, '');
  const root = path.split('.')[0];
  if (RESERVED.has(root) || /^\d/.test(root) || count(code, root) !== 1) return undefined;
  return { key: `member ${path}`, deps: [root], prefix: code.slice(start, pos), start };
}

/** Hover on a name of `path` at `pos` (and a call's arguments after it), when that is all it depends on. */
export function inspectRequest(code: string, pos: number, detailLevel: number): PathRequest | undefined {
  if (!plainCell(code) || pos < 0 || pos > code.length) return undefined;
  const isId = (i: number): boolean => i >= 0 && i < code.length && /[\w$]/.test(code[i]);
  // The name under the cursor, or the one just before it (what the worker looks at, too).
  const at = isId(pos) ? pos : isId(pos - 1) ? pos - 1 : -1;
  if (at < 0) return undefined;
  let start = at;
  while (isId(start - 1)) start--;
  let end = at + 1;
  while (isId(end)) end++;
  if (!inCode(code, start)) return undefined;
  const m = /((?:[A-Za-z_$][\w$]*\s*\.\s*)*)$/.exec(code.slice(0, start));
  const pathStart = m ? m.index : start;
  const path = (code.slice(pathStart, start) + code.slice(start, end)).replace(/\s+/g, '');
  if (!/^[A-Za-z_$]/.test(path) || !valueBefore(code, pathStart)) return undefined;
  const root = path.split('.')[0];
  if (RESERVED.has(root) || count(code, root) !== 1) return undefined;
  // A call picks an overload by its arguments: they are part of the key, and their names are deps.
  let rest = end;
  while (rest < code.length && /\s/.test(code[rest])) rest++;
  let args = '';
  if (code[rest] === '(') {
    const close = matchingParen(code, rest);
    if (close < 0) return undefined;
    args = code.slice(rest, close + 1);
    if (args.includes('=>') || /[{}]/.test(args)) return undefined;
  } else if (code[rest] === '<' || code[rest] === '`') return undefined;
  const deps = [root];
  for (const w of words(args)) {
    if (RESERVED.has(w) || count(code, w) !== count(args, w)) return undefined;
    if (!deps.includes(w)) deps.push(w);
  }
  const isNew = /(?:^|[^\w$])new\s*$/.test(code.slice(0, pathStart));
  return { key: `inspect ${detailLevel} ${isNew ? 'new ' : ''}${path}${args.replace(/\s+/g, ' ')}`, deps };
}

/** Keywords and other words that never name a value from an earlier cell. */
export function isReserved(word: string): boolean {
  return RESERVED.has(word) || word === 'from';
}

/** The identifiers of `text` (ASCII). */
export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** No text whose meaning this reader could get wrong (see the header). */
function plainCell(code: string): boolean {
  if (/[^\x00-\x7f]/.test(code) || code.includes('`') || code.includes('</') || code.includes('/>') || code.includes('@')) return false;
  if (/^\s*%/m.test(code)) return false;
  return !UNSAFE_WORD.test(code);
}

/** Whether `pos` is in code: not in a string or comment, and no `/` before it that could start a regex. */
function inCode(code: string, pos: number): boolean {
  let i = 0;
  while (i < pos) {
    const c = code[i];
    if (c === '/') {
      if (code[i + 1] === '/') {
        const nl = code.indexOf('\n', i);
        if (nl < 0 || nl >= pos) return false;
        i = nl + 1;
        continue;
      }
      if (code[i + 1] === '*') {
        const close = code.indexOf('*/', i + 2);
        if (close < 0 || close + 2 > pos) return false;
        i = close + 2;
        continue;
      }
      return false;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < code.length && code[j] !== c && code[j] !== '\n') j += code[j] === '\\' ? 2 : 1;
      if (j >= pos || code[j] !== c) return false;
      i = j + 1;
      continue;
    }
    i++;
  }
  return true;
}

/** Whether the text before `at` leaves what starts there in expression (value) position. */
function valueBefore(code: string, at: number): boolean {
  const i = skipSpaceBack(code, at - 1);
  if (i < 0) return true;
  const c = code[i];
  if (c === ';' || c === '}' || c === '!' || c === '+' || c === '-' || c === '*' || c === '%' || c === '~' || c === '^') return true;
  if (c === '=') return code[i - 1] !== '>' && code[i - 1] !== '<' && !typeAliasBefore(code, i);
  if (c === '&' || c === '|') return code[i - 1] === c;
  if (c === '(' || c === '[') return openerInValue(code, i);
  if (c === '{') return !typeAliasBefore(code, i) && code[skipSpaceBack(code, i - 1)] !== ':';
  if (c === ',') {
    // Inside a call or an array literal, not type arguments, a tuple type or typed parameters.
    const open = innermostOpener(code, i);
    const segment = code.slice(open + 1, i);
    if (segment.includes('<') || segment.includes(':')) return false;
    return open < 0 ? !typeAliasBefore(code, i) : code[open] !== '{' && openerInValue(code, open);
  }
  if (/[\w$]/.test(c)) {
    let s = i;
    while (s > 0 && /[\w$]/.test(code[s - 1])) s--;
    return VALUE_KEYWORDS.has(code.slice(s, i + 1)) && (s === 0 || !/[\w$.]/.test(code[s - 1]));
  }
  return false;
}

/** Whether the `(` or `[` at `i` opens a call, an index, a parenthesised expression or an array literal. */
function openerInValue(code: string, i: number): boolean {
  const j = skipSpaceBack(code, i - 1);
  if (j < 0) return true;
  const b = code[j];
  if (/[\w$)\]]/.test(b)) {
    // `f(`, `a[`, `if (`; not `function f(` (parameters) nor `x: T[` handled by ':' below.
    let s = j;
    while (s > 0 && /[\w$]/.test(code[s - 1])) s--;
    const before = code.slice(0, s).trimEnd();
    return !/(?:^|[^\w$])(?:function|class|type)\s*\*?\s*$/.test(before) && !/(?:^|[^\w$])function\s*\*?\s*[\w$]*\s*$/.test(code.slice(0, j + 1));
  }
  if (b === '=') return code[j - 1] !== '>' && !typeAliasBefore(code, j);
  return b === '(' || b === '[' || b === ',' || b === ';' || b === '{' || b === '}' || b === '!';
}

/** Index of the innermost `(`, `[` or `{` still open at `at` (strings skipped), or -1. */
function innermostOpener(code: string, at: number): number {
  const stack: number[] = [];
  for (let i = 0; i < at; i++) {
    const c = code[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < code.length && code[j] !== c && code[j] !== '\n') j += code[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === '(' || c === '[' || c === '{') stack.push(i);
    else if (c === ')' || c === ']' || c === '}') stack.pop();
  }
  return stack.length ? stack[stack.length - 1] : -1;
}

/** Whether position `i` is inside a `type X = ...` alias statement. */
function typeAliasBefore(code: string, i: number): boolean {
  return /(?:^|[;{}\n])\s*(?:export\s+)?type\s+[\w$]+[^;\n]*$/.test(code.slice(0, i + 1));
}

function skipSpaceBack(code: string, i: number): number {
  while (i >= 0 && /\s/.test(code[i])) i--;
  return i;
}

/** Occurrences of the word `w` in `text`. */
function count(text: string, w: string): number {
  let n = 0;
  for (const x of words(text)) if (x === w) n++;
  return n;
}

/** Index of the `)` closing the `(` at `open`, or -1 (strings and nesting considered). */
function matchingParen(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < code.length && code[j] !== c && code[j] !== '\n') j += code[j] === '\\' ? 2 : 1;
      if (code[j] !== c) return -1;
      i = j;
    } else if (c === '/') return -1;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}
