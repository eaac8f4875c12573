// The cell transpiler's choices and positions: the fast strip path for plain TypeScript, the full
// TypeScript transform for enums/decorators/`using`/JSX with a map back to the cell as written,
// syntax errors at cell positions, and the debugger's check that a module script is its file
// with types blanked.

import { CellPositions } from '../../../kernel/src/lang/transpile/cellMap';
import { type CellSyntaxError, transpileCell } from '../../../kernel/src/lang/transpile/cell';
import { replTransform } from '../../../kernel/src/lang/transpile/replTransform';
import { isTypeStrippedFrom } from '../../../kernel/src/debugger/scripts';

const FILE = '/tmp/cell.ts';

/** Where `needle` (on generated code) lands in the cell as written. */
function originalOf(generated: string, needle: string): { line: number; column: number } | undefined {
  const lines = generated.split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  return new CellPositions(generated).original({ line: i + 1, column: lines[i].indexOf(needle) + 1 });
}

test('plain TypeScript keeps the fast path (no debugger map) and columns map through the async wrapper', () => {
  const t = transpileCell('const a: number = 1;\nawait a; throw new Error("x")', 'typescript', FILE);
  expect(t.map).toBeUndefined();
  expect(t.isAsync).toBe(true);
  expect(originalOf(t.generated, 'new Error')).toEqual({ line: 2, column: 16 });
});

test('a cell whose positions did not move carries no map, and its positions read the same', () => {
  for (const code of ['x = 1', 'const x: number = 1;\nthrow new Error("x")', 'function f() { return 1 }\n// done\n']) {
    const t = transpileCell(code, 'typescript', FILE);
    expect(t.generated).not.toContain('sourceMappingURL');
    expect(t.generated.split('\n')).toHaveLength(code.split('\n').length);
  }
  expect(originalOf(transpileCell('const x: number = 1;\nthrow new Error("x")', 'typescript', FILE).generated, 'new Error')).toEqual({ line: 2, column: 7 });
  // Moved positions keep their map: a class declaration becomes `var A = class A {}`.
  expect(originalOf(transpileCell('class A {}\nthrow new Error("y")', 'typescript', FILE).generated, 'class A')).toEqual({ line: 1, column: 1 });
  expect(transpileCell('class A {}', 'typescript', FILE).generated).toContain('sourceMappingURL');
});

test('the REPL transform builds no map for code it leaves as it is; a transformed cell keeps the TypeScript map', () => {
  for (const code of ['1 + 1', 'x', 'f(1).g', 'x = 2;\nx * 3']) {
    expect(replTransform(code)).toMatchObject({ code, map: undefined, isAsync: false });
    expect(transpileCell(code, 'typescript', FILE).generated).toBe(code);
  }
  expect(replTransform('let y = 1').map).toBeDefined();
  // An enum needs the TypeScript transform; its output needs no REPL edit, and the map it carries
  // is the TypeScript one, back to the cell as written.
  const t = transpileCell("enum E { A }\nE.A;\nthrow new Error('here')", 'typescript', FILE);
  expect(t.map).toBeDefined();
  expect(originalOf(t.generated, 'new Error')).toEqual({ line: 3, column: 7 });
});

test('an enum cell goes through the full transform and maps back to its own line', () => {
  const t = transpileCell("enum E { A }\nconst z = 1;\nthrow new Error('where am I')", 'typescript', FILE);
  expect(t.map).toBeDefined();
  expect(originalOf(t.generated, 'new Error')).toEqual({ line: 3, column: 7 });
});

test('decorators, using and JSX compile to code Node 20 runs; top-level using goes to the cell helper', () => {
  const dec = transpileCell('function d(v: any, c: any) {}\n@d class K {}', 'typescript', FILE);
  expect(dec.generated).toContain('__esDecorate');
  const using = transpileCell('using r = open();\n{ using q = open(); }', 'typescript', FILE);
  expect(using.generated).toContain('__tskernel_cell__.using(open(), false)');
  expect(using.generated).toContain('__disposeResources');
  const jsx = transpileCell('const e = <div className="x" />;', 'typescript', FILE);
  expect(jsx.generated).toContain('__tskernel_import__("react/jsx-runtime")');
  const js = transpileCell('const e = <p>hi</p>;', 'javascript', '/tmp/cell.js');
  expect(js.generated).toContain('_jsx("p"');
});

test('import.meta becomes the cell helper; JavaScript cells hand top-level `await using` to it too', () => {
  expect(transpileCell('import.meta.url', 'javascript', '/tmp/c.js').generated).toContain('__tskernel_cell__.meta.url');
  expect(transpileCell('await using c = conn();\nc.q()', 'javascript', '/tmp/c.js').generated).toContain('__tskernel_cell__.using(conn(), true)');
});

test('syntax errors in transformed cells are at cell positions; parameter decorators are refused', () => {
  const err = (code: string): CellSyntaxError => {
    try {
      transpileCell(code, 'typescript', FILE);
    } catch (e) {
      return e as CellSyntaxError;
    }
    throw new Error('compiled');
  };
  expect(err('enum D { Up }\nconst d: D = ;')).toMatchObject({ line: 2, column: 14 });
  const p = err('function i(a: any, b: any) {}\nclass S { constructor(@i x: number) {} }');
  expect(p).toMatchObject({ line: 2, column: 23 });
  expect(p.message).toMatch(/parameter decorators .*not supported/);
});

test('a module script is recognised as its .ts file with types blanked, and nothing else is', () => {
  const written = 'export function f(a: number): number {\n  return a;\n}\n';
  const stripped = 'export function f(a        )         {\n  return a;\n}\n';
  expect(isTypeStrippedFrom(stripped, written)).toBe(true);
  expect(isTypeStrippedFrom(stripped.replace('return a', 'return b'), written)).toBe(false);
  expect(isTypeStrippedFrom(stripped + ' ', written)).toBe(false);
});

test('cells without a map share one positions object (identity); cells with one get their own', () => {
  const a = CellPositions.of('const a = 1;');
  const b = CellPositions.of('const b = 2;');
  expect(a).toBe(b);
  expect(a.original({ line: 3, column: 7 })).toEqual({ line: 3, column: 7 });
  const t = transpileCell('const a: number = 1;\nawait a; throw new Error("x")', 'typescript', FILE);
  const mapped = CellPositions.of(t.generated);
  expect(mapped).not.toBe(a);
  const lines = t.generated.split('\n');
  const i = lines.findIndex((l) => l.includes('new Error'));
  expect(mapped.original({ line: i + 1, column: lines[i].indexOf('new Error') + 1 })).toEqual({ line: 2, column: 16 });
});
