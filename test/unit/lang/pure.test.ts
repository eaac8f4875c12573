// Pure helpers of the language service: code-point cursors, magic blanking, the diagnostic
// renderer and the synchronous is_complete scanner (no worker involved).

import { codePointToUtf16, utf16ToCodePoint, codePointLength } from '../../../kernel/src/common/codePoints';
import { blankMagics } from '../../../kernel/src/lang/magics';
import { formatDiagnostics } from '../../../kernel/src/lang/service';
import { isCertainIncomplete, scanIsComplete } from '../../../kernel/src/lang/isCompleteScan';
import { identifierStart } from '../../../kernel/src/lang/identifier';

describe('code points', () => {
  const text = 'a😀b😀c';
  it('converts both ways around astral characters', () => {
    expect(text.length).toBe(7);
    expect(codePointLength(text)).toBe(5);
    expect(codePointToUtf16(text, 2)).toBe(3);
    expect(codePointToUtf16(text, 4)).toBe(6);
    expect(utf16ToCodePoint(text, 3)).toBe(2);
    expect(utf16ToCodePoint(text, 6)).toBe(4);
  });
  it('clamps out-of-range positions', () => {
    expect(codePointToUtf16(text, 99)).toBe(7);
    expect(codePointToUtf16(text, -3)).toBe(0);
    expect(codePointToUtf16(text, Number.NaN)).toBe(0);
    expect(utf16ToCodePoint(text, 99)).toBe(5);
  });
});

describe('blankMagics', () => {
  it('blanks magic lines keeping every position', () => {
    const code = '%time\nconst a = 1;\n  %debug on\nlet b = a % 2;';
    const out = blankMagics(code);
    expect(out.length).toBe(code.length);
    expect(out.split('\n')).toEqual(['     ', 'const a = 1;', '           ', 'let b = a % 2;']);
  });
  it('blanks a whole cell-magic cell', () => {
    expect(blankMagics('%%html\n<b>x</b>').trim()).toBe('');
  });
});

describe('identifierStart', () => {
  it('finds the start of the word before the cursor', () => {
    expect(identifierStart('foo(s.toUp, 1)', 10)).toBe(6);
    expect(identifierStart('x.', 2)).toBe(2);
    expect(identifierStart('$abc', 4)).toBe(0);
  });
});

describe('formatDiagnostics', () => {
  it('prints label, position, code, source line and caret', () => {
    const code = 'let a = 1;\n\tgreet(😀, 42);';
    const text = formatDiagnostics([{ line: 2, column: 11, code: 2345, message: "Argument of type 'number' is not assignable.", category: 'error' }], code, 'Cell [3]');
    expect(text).toBe(["Cell [3] 2:11 - error TS2345: Argument of type 'number' is not assignable.", '2 | \tgreet(😀, 42);', '  | \t         ^', '', 'Found 1 error.'].join('\n'));
  });
  it('indents chained messages and counts warnings', () => {
    const text = formatDiagnostics([{ line: 1, column: 1, code: 7016, message: 'first\n  second', category: 'warning' }], 'import x from "y";', 'Cell [1]');
    expect(text).toContain('Cell [1] 1:1 - warning TS7016: first\n    second');
    expect(text).toContain('Found 1 warning.');
  });
  it('is empty for no diagnostics', () => {
    expect(formatDiagnostics([], 'x', 'Cell [1]')).toBe('');
  });
});

describe('scanIsComplete (before the compiler is loaded)', () => {
  it.each([
    ['const a = 1;', 'complete'],
    ['', 'complete'],
    ['function f() {', 'incomplete'],
    ['foo(1,', 'incomplete'],
    ['const s = `abc ${', 'incomplete'],
    ['const s = `abc', 'incomplete'],
    ['a +', 'incomplete'],
    ['x => ', 'incomplete'],
    ['i++', 'complete'],
    ['/* open', 'incomplete'],
    ['}', 'invalid'],
    ['(]', 'invalid'],
    ["'abc", 'invalid'],
    ['const r = /[}]/; r', 'complete'],
    ['a / b / c', 'complete'],
    ['const s = "}"; // {', 'complete'],
  ])('%j → %s', (code, status) => {
    expect(scanIsComplete(code).status).toBe(status);
  });
  it('indents one level per open bracket', () => {
    expect(scanIsComplete('if (a) {\n  if (b) {').indent).toBe('    ');
  });
  // Answered without the worker: something is still open, or an operator waits for its operand.
  it.each([
    ['function g() {\n  if (x) {', true],
    ['const a = [1,\n', true],
    ['const s = `abc', true],
    ['let x = 1 +', true],
    ['if (x)', false],
    ['const el = <p>(</p>', false],
    ['const a = 1', false],
    ['}', false],
  ])('%j: incomplete for certain: %s', (code, certain) => {
    expect(isCertainIncomplete(code, scanIsComplete(code))).toBe(certain);
  });
});
