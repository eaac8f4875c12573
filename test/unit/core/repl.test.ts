// The REPL transform keeps every line where it was and gives cells REPL semantics.

import * as vm from 'node:vm';
import { replTransform, IMPORT_HELPER } from '../../../kernel/src/lang/transpile/replTransform';
import { CellSyntaxError } from '../../../kernel/src/lang/transpile/syntaxError';
import { stripTypes } from '../../../kernel/src/lang/transpile/strip';
import { Magics } from '../../../kernel/src/interpreter/magics';
import { History } from '../../../kernel/src/core/history';
import { codePointToUtf16, utf16ToCodePoint } from '../../../kernel/src/common/codePoints';

const lines = (s: string) => s.split('\n').length;

test('const/let/class become re-declarable without moving lines or columns of later code', () => {
  const src = 'const a = 1;\nlet b\nclass C {}\nfunction f() { return a; }\na + 1';
  const out = replTransform(src);
  expect(out.isAsync).toBe(false);
  expect(out.declared).toEqual(['a', 'b', 'C', 'f']);
  expect(lines(out.code)).toBe(lines(src));
  expect(out.code.split('\n')[4]).toBe('a + 1');
  const ctx = vm.createContext({});
  vm.runInContext(out.code, ctx);
  expect(vm.runInContext(out.code, ctx)).toBe(2); // running twice works
});

test('top-level await wraps the cell, hoists declarations and returns the last expression', async () => {
  const src = 'const x = await Promise.resolve(2);\nfunction g() { return x * 3; }\ng()';
  const out = replTransform(src);
  expect(out.isAsync).toBe(true);
  expect(
    out.code
      .split('\n')
      .slice(0, 3)
      .map((l) => l.length > 0),
  ).toEqual([true, true, true]);
  const ctx = vm.createContext({});
  ctx.globalThis = ctx;
  expect(await vm.runInContext(out.code, ctx)).toBe(6);
  expect(vm.runInContext('typeof g + x', ctx)).toBe('function2');
});

test('imports become calls to the notebook resolver, keeping line count', () => {
  const src = 'import def, { a as b, c } from "m";\nimport * as ns from "n";\nimport {\n  d\n} from "o";\nimport "side";\nb';
  const out = replTransform(src);
  expect(lines(out.code)).toBe(lines(src) + 1); // + the closing line of the async wrapper
  expect(out.code).toContain(`({default: def, a: b, c} = await ${IMPORT_HELPER}("m"))`);
  expect(out.code).toContain(`ns = await ${IMPORT_HELPER}("n")`);
  expect(out.code).toContain(`await ${IMPORT_HELPER}("side")`);
  expect(out.declared).toEqual(['def', 'b', 'c', 'ns', 'd']);
});

test('dynamic import() is routed to the resolver', () => {
  expect(replTransform('const m = import("x")').code).toContain(`${IMPORT_HELPER}("x")`);
});

test('syntax errors carry a 1-based line and column', () => {
  expect(() => replTransform('let ok = 1;\nlet = = 2')).toThrow(CellSyntaxError);
  try {
    replTransform('let ok = 1;\nlet y = ;');
  } catch (e) {
    expect((e as CellSyntaxError).line).toBe(2);
    expect((e as CellSyntaxError).column).toBe(9);
  }
});

test('type stripping keeps positions; enums get a transform and a source map', () => {
  const s = stripTypes('const n: number = 1;\ninterface I { a: string }\nn as any;');
  // The interface becomes an empty statement (`;`): it still ends the line before it.
  expect(s.code).toBe('const n         = 1;\n;                        \nn       ;');
  expect(s.map).toBeUndefined();
  const e = stripTypes('enum E { A, B }\nE.B');
  expect(e.map).toBeDefined();
  expect(() => stripTypes('let y: = 1')).toThrow(CellSyntaxError);
});

test('magic lines are taken out, leaving blank lines', () => {
  const m = new Magics();
  const r = m.split('%typecheck off\n%lsmagic\nconst a = 1 %\n2');
  expect(r.magics.map((x) => x.name)).toEqual(['typecheck', 'lsmagic']);
  expect(r.code).toBe('\n\nconst a = 1 %\n2');
  expect(m.split('x = 1\n%notmagic').magics).toEqual([]);
});

test('history tail, range and search', () => {
  const h = new History(null);
  h.add(1, 'a = 1');
  h.add(2, 'b = 2', '2');
  h.add(3, 'a = 1');
  expect(h.query({ hist_access_type: 'tail', n: 2 })).toEqual([
    [h.session, 2, 'b = 2'],
    [h.session, 3, 'a = 1'],
  ]);
  expect(h.query({ hist_access_type: 'range', session: 0, start: 2, stop: 3, output: true })).toEqual([[h.session, 2, ['b = 2', '2']]]);
  expect(h.query({ hist_access_type: 'search', pattern: 'a*', unique: true })).toEqual([[h.session, 3, 'a = 1']]);
});

test('cursor positions convert between code points and UTF-16 units', () => {
  const s = 'a🚀b';
  expect(codePointToUtf16(s, 2)).toBe(3);
  expect(utf16ToCodePoint(s, 3)).toBe(2);
});
