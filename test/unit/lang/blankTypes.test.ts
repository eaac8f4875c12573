// Type stripping by blanking (kernel/src/lang/transpile/blankTypes.ts): every kept character at
// its line and column, the JavaScript meaning what the TypeScript meant (ASI hazards), code that
// needs a transform reported, syntax errors at their cell position.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as acorn from 'acorn';
import { blankTypes, NeedsTransform } from '../../../kernel/src/lang/transpile/blankTypes';
import { CellSyntaxError } from '../../../kernel/src/lang/transpile/syntaxError';

/**
 * A case written as the source with what goes marked: «…» becomes spaces, ‹…› becomes `;` and
 * spaces (line breaks inside stay). Blanks the source, checks the output against the marks and
 * that it is JavaScript, and returns it.
 */
function blank(text: string): string {
  const source = text.replace(/[«»‹›]/g, '');
  let expected = '';
  let mode: 'keep' | 'blank' | 'semi' = 'keep';
  for (const c of text) {
    if (c === '«' || c === '‹') mode = c === '«' ? 'blank' : 'semi';
    else if (c === '»' || c === '›') mode = 'keep';
    else if (mode === 'keep' || c === '\n') expected += c;
    else {
      expected += mode === 'semi' ? ';' : ' ';
      if (mode === 'semi') mode = 'blank';
    }
  }
  const out = blankTypes(source);
  expect(out).toBe(expected);
  acorn.parse(out, { ecmaVersion: 'latest', sourceType: 'module' });
  return out;
}

/** Runs JavaScript and returns what it sets `out` to. */
function run(js: string): unknown {
  return new Function(`let out;\n${js}\nreturn out;`)() as unknown;
}

test('annotations, generics, assertions and non-null marks become spaces in place', () => {
  blank('const n«: number» = f«<string>»(a« as any»)«!»;');
  blank('function g«<T extends object>»(a«: T», b«?: number»)«: asserts a is T» {}');
  blank('let u = z« satisfies U»; let v = «<const>»["a"]; let w = «<T,>»(t«: T») => t');
  blank('class K«<T>» extends Base«<T>» «implements I» { «[k: string]: any; m?(): void;» n«!: T» }');
  blank('function f(«this: Window, »a«?: number») {}');
  blank('const t = `${a« as string»}`');
});

test('type-only statements become an empty statement, so the line before still ends there', () => {
  // Without the `;`, `1` and `(b)` would read as the call `1(b)`.
  blank('let a = 1\n‹type A = 1›\n(b)');
  blank('let a = 1\n‹interface I { x: string }›\n[1].map(x => x)');
  blank('if (a) ‹type X = 1›\nelse b()');
  // One `;` for consecutive type-only statements.
  blank('‹declare const d: number;\nexport declare function f(): void;›');
  blank('‹function over(a: string): void›\nfunction over(a«: any») { return a }');
  // The `;` the line after was already there ends the alias: it goes with it.
  expect(run(blank('out = 1\n‹type A = 1\n;›(out = out + 1)'))).toBe(2);
});

test('an `as` at a line end before `(` or `[` ends the statement as TypeScript read it', () => {
  blank('const x = y ‹as T›\n(b)');
  expect(run(blank('const y = 1; out = 0\nout = y ‹as number›\n[out].length'))).toBe(1);
});

test("an arrow function's return type over several lines keeps `=>` on the `)` line", () => {
  const out = blankTypes('const f = (a: number):\n  number => a * 2; out = f(21)');
  expect(out).toBe('const f = (a          \n       ) => a * 2; out = f(21)');
  expect(run(out)).toBe(42);
});

test('class modifiers go; declare and abstract members go whole', () => {
  blank('class A { «private »x = 1; «protected »static «readonly »y = 2; «public »m()«: void» {} «override »n() {} }');
  blank('«abstract» class A { ‹abstract m(): void;› ‹protected abstract q: number;› x = 1 }');
  // The `;` keeps `x = 1` from reading `[k]` as an index into 1.
  const declared = blank('class A { x = 1\n ‹declare y: number›\n [k] = 2 }');
  expect(run(`const k = 'z';\n${declared}\nout = new A().z`)).toBe(2);
});

test('type-only imports and exports go; value imports stay as written', () => {
  blank('‹import type { A } from "a"›\nimport { «type B, »C } from "b"\nimport D, { «type E» } from "d"\n‹export type { A }›\nexport { «type B, »C }');
  blank('‹import type {\n  A,\n  B,\n} from "a";›\n‹import type * as Y from "y";›\nimport type from "t"');
  blank('‹export as namespace Foo;›');
});

test('ambient declarations go, also nested; words TypeScript reserves stay names elsewhere', () => {
  blank('‹declare namespace N { namespace M { const a: 1 } }\ndeclare module "m" { export const b: 2 }\ndeclare global { interface W {} }›');
  blank('const o = { private: 1, readonly: 2, declare: 3, abstract: 4, type: 5, namespace: 6, module: 7 }; o.declare; function f(readonly, declare) {}; let type = 1; type = 2');
  blank('‹declare enum F { B }›\nconst enum_ = 1');
});

test('code that needs generated JavaScript is reported, not blanked', () => {
  for (const code of [
    'enum E { A }',
    'const enum G { C }',
    'export enum H { D }',
    'namespace N { export const a = 1 }',
    'export namespace O { export type X = 1 }',
    'class C { constructor(private x: number) {} }',
    'class C { constructor(a, readonly b) {} }',
    'class C { constructor(a, private readonly b) {} }',
    'import x = require("y")',
    'export = 1',
    'export import z = N.a',
  ]) {
    expect(() => blankTypes(code)).toThrow(NeedsTransform);
  }
});

test('syntax errors name the token at its 1-based cell position', () => {
  const err = (code: string): CellSyntaxError => {
    try {
      blankTypes(code);
    } catch (e) {
      return e as CellSyntaxError;
    }
    throw new Error('parsed');
  };
  const e = err('let x = 1;\nconst d: D = ;');
  expect(e).toBeInstanceOf(CellSyntaxError);
  expect(e).toMatchObject({ line: 2, column: 14, message: "Unexpected token ';'" });
  expect(err('let y: = 1')).toMatchObject({ line: 1, column: 8 });
});

test("every TypeScript file of this repository blanks as amaro's strip-only mode strips it", () => {
  // amaro (SWC, what Node's own type stripping runs) as the reference: the same characters kept
  // at every token, the same files refused for needing a transform. Where blanking adds a `;`
  // (an empty statement ending the line before a type-only declaration), amaro may leave a space.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const amaro = require('amaro') as { transformSync(code: string, o: { mode: 'strip-only' }): { code: string } };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('sucrase/dist/parser') as { parse(c: string, jsx: boolean, ts: boolean, flow: boolean): { tokens: { start: number; end: number }[] } };
  const root = path.resolve(__dirname, '../../..');
  const files = ['kernel/src', 'test/unit', 'test/integration', 'test/helpers', 'labextension/src'].flatMap((d) => listTs(path.join(root, d)));
  expect(files.length).toBeGreaterThan(300);
  let compared = 0;
  for (const f of files) {
    const code = fs.readFileSync(f, 'utf8');
    let want: string | undefined;
    try {
      want = amaro.transformSync(code, { mode: 'strip-only' }).code;
    } catch (e) {
      if (/not supported in strip-only mode/.test(String((e as Error).message ?? e))) expect(() => blankTypes(code)).toThrow(NeedsTransform);
      continue;
    }
    const got = blankTypes(code);
    expect([f, got.length]).toEqual([f, want.length]);
    const same = (i: number): boolean => got[i] === want[i] || (got[i] === ';' && want[i] === ' ');
    for (const t of parse(code, false, true, false).tokens) {
      for (let i = t.start; i < t.end; i++) if (!same(i)) expect([f, i, got.slice(t.start, t.end)]).toEqual([f, i, want.slice(t.start, t.end)]);
    }
    compared++;
  }
  expect(compared).toBeGreaterThan(200);
});

function listTs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : listTs(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}
