// A synchronous is_complete answer from a small bracket/string/comment scanner. It answers
// trivial cells (a one-line expression such as `1 + 1`, where it cannot be wrong) and cells with
// an open bracket, template literal or comment (certainly incomplete) at once, and
// everything while the compiler worker is still loading (or if it is busy or gone); otherwise
// the TypeScript parser (service/isCompleteTs.ts) gives the answer.

import type { IsCompleteResult } from './service/protocol';

type Mode = 'code' | 'sq' | 'dq' | 'tpl' | 'line' | 'block' | 'regex';

const REGEX_AFTER = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const REGEX_AFTER_WORD = /(?:^|[^\w$])(return|typeof|instanceof|in|of|new|delete|void|throw|case|do|else|yield|await)$/;
const AWAITS_BODY = /^\s*(?:\}\s*)?(?:(?:else\s+)?(?:if|for|while|with)\s*(?:await\s*)?\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)|else|do|try|finally)\s*$/;
const TRAILING_OP = /(?:[-+*/%=&|^!?:,.~<]|=>)$/;

/** The scanner's verdict; `open` when it is `incomplete` because something is still open (or an operator waits for its operand). */
export type ScanResult = IsCompleteResult & { open?: true };

export function scanIsComplete(code: string): ScanResult {
  const stack: string[] = [];
  let mode: Mode = 'code';
  let last = ''; // last significant code character
  let inClass = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    const next = code[i + 1] ?? '';
    switch (mode) {
      case 'line':
        if (c === '\n') mode = 'code';
        continue;
      case 'block':
        if (c === '*' && next === '/') ((mode = 'code'), i++);
        continue;
      case 'sq':
      case 'dq':
        if (c === '\\') i++;
        else if (c === '\n') return { status: 'invalid' };
        else if (c === (mode === 'sq' ? "'" : '"')) ((mode = 'code'), (last = c));
        continue;
      case 'tpl':
        if (c === '\\') i++;
        else if (c === '`') ((mode = 'code'), (last = c));
        else if (c === '$' && next === '{') (stack.push('${'), (mode = 'code'), (last = '{'), i++);
        continue;
      case 'regex':
        if (c === '\\') i++;
        else if (c === '[') inClass = true;
        else if (c === ']') inClass = false;
        else if (c === '\n') return { status: 'invalid' };
        else if (c === '/' && !inClass) ((mode = 'code'), (last = 'a'));
        continue;
      case 'code':
        break;
    }
    if (c === '/' && next === '/') ((mode = 'line'), i++);
    else if (c === '/' && next === '*') ((mode = 'block'), i++);
    else if (c === '/') {
      const lastWordEnd = code.slice(Math.max(0, i - 12), i).trimEnd(); // for regex detection
      if (REGEX_AFTER.has(last) || REGEX_AFTER_WORD.test(lastWordEnd)) ((mode = 'regex'), (inClass = false));
      else last = c;
    } else if (c === "'") mode = 'sq';
    else if (c === '"') mode = 'dq';
    else if (c === '`') mode = 'tpl';
    else if (c === '{' || c === '(' || c === '[') (stack.push(c), (last = c));
    else if (c === '}' || c === ')' || c === ']') {
      const open = stack.pop();
      if (open === '${' && c === '}') mode = 'tpl';
      else if (open !== { '}': '{', ')': '(', ']': '[' }[c]) return { status: 'invalid' };
      last = c;
    } else if (!/\s/.test(c)) last = c;
  }
  if (mode === 'sq' || mode === 'dq' || mode === 'regex') return { status: 'invalid' };
  if (mode === 'tpl' || mode === 'block') return { status: 'incomplete', indent: '', open: true };
  if (stack.length > 0) return { status: 'incomplete', indent: '  '.repeat(stack.length), open: true };
  const tail = stripTrailingComment(code).trimEnd();
  if (TRAILING_OP.test(tail) && !/(\+\+|--)$/.test(tail)) return { status: 'incomplete', indent: lastIndent(code) || '  ', open: true };
  // `if (x)`, `} else`, `do`: a statement head still waiting for its body.
  const lastLine = tail.slice(tail.lastIndexOf('\n') + 1);
  if (AWAITS_BODY.test(lastLine)) return { status: 'incomplete', indent: lastIndent(code) + '  ' };
  return { status: 'complete' };
}

/**
 * Words after which a line may legitimately go on (`if (x)`, `else`, `class A extends`, `x as`):
 * a line containing one is not trivial, so the parser decides.
 */
const MAY_CONTINUE =
  /(?:^|[^\w$.])(?:if|for|while|else|do|with|switch|try|catch|finally|function|class|interface|enum|namespace|module|declare|abstract|type|return|throw|yield|await|async|new|extends|implements|keyof|typeof|instanceof|in|of|as|satisfies|void|delete|case|default|import|export|let|const|var|using)(?![\w$])|@/;

/** Whether a scanner verdict of `complete` is certain: one short line, no statement keyword. */
export function isTrivialComplete(code: string, scanned: ScanResult): boolean {
  const text = code.trim();
  return scanned.status === 'complete' && text.length <= 500 && !text.includes('\n') && !MAY_CONTINUE.test(text);
}

/**
 * Whether a scanner verdict of `incomplete` is as good as the parser's: a bracket, template
 * literal or comment is still open, or the code ends with an operator, which no parser can call
 * complete — unless JSX text (where brackets are just text) may be involved. (The parser could
 * still call it `invalid`, for a syntax error earlier in the cell: then the console waits for one
 * more line before it shows the error.)
 */
export function isCertainIncomplete(code: string, scanned: ScanResult): boolean {
  return scanned.status === 'incomplete' && scanned.open === true && !code.includes('</') && !code.includes('/>');
}

/** Indentation of the last non-blank line. */
export function lastIndent(code: string): string {
  const lines = code.split('\n').filter((l) => l.trim() !== '');
  return /^[ \t]*/.exec(lines[lines.length - 1] ?? '')?.[0] ?? '';
}

function stripTrailingComment(code: string): string {
  const lines = code.trimEnd().split('\n');
  const lastLine = lines[lines.length - 1] ?? '';
  const m = /^(.*?)\s*\/\/[^'"`]*$/.exec(lastLine);
  if (m) lines[lines.length - 1] = m[1];
  return lines.join('\n');
}
