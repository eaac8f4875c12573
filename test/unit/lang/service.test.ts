// The LanguageService end to end (real worker, real compiler): type errors across cells and after
// re-runs, positions, completion and hover from earlier cells and npm packages (ESM and CJS),
// runtime members for `any`, is_complete, JavaScript mode, and bad inputs.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { LanguageService } from '../../../kernel/src/lang/service';
import { makeNotebookDir, removeDir, writePackage } from './fixture';

jest.setTimeout(60_000);

/** Cursor (in code points) at the `|` marker, and the code without it. */
function at(marked: string): [string, number] {
  const i = marked.indexOf('|');
  return [marked.slice(0, i) + marked.slice(i + 1), Array.from(marked.slice(0, i)).length];
}

describe('LanguageService (TypeScript)', () => {
  let dir: string;
  let ls: LanguageService;
  const asked: string[] = [];
  let n = 0;
  const run = async (code: string): Promise<void> => {
    ls.addCell(code, ++n);
  };

  beforeAll(() => {
    dir = makeNotebookDir();
    ls = new LanguageService({
      language: 'typescript',
      notebookDir: dir,
      runtimeMembers: async (expr) => {
        asked.push(expr);
        return ['alpha', 'beta', 'toString'];
      },
      extraDeclarations: 'declare function display(value: unknown): void;\n',
    });
    ls.warmUp();
  });
  afterAll(async () => {
    await ls.dispose();
    removeDir(dir);
  });

  it('reports a wrong call of a function from an earlier cell, with position and code', async () => {
    await run('function greet(name: string): string {\n  return "hi " + name;\n}');
    const diags = await ls.check('const ok = greet("a");\ngreet(42);');
    expect(diags).toEqual([{ line: 2, column: 7, code: 2345, message: "Argument of type 'number' is not assignable to parameter of type 'string'.", category: 'error' }]);
  });

  it('follows a re-run cell that changes a type', async () => {
    await run('function greet(n: number): number {\n  return n;\n}');
    expect(await ls.check('greet(42);')).toEqual([]);
    const diags = await ls.check('greet("a");');
    expect(diags.map((d) => d.code)).toEqual([2345]);
  });

  it('allows re-declaring const/let/class across cells, as at run time', async () => {
    await run('const x = 1;\nlet count = 0;\nclass Box { v = 1 }');
    expect(await ls.check('const x = "now a string";\nx.toUpperCase();\nclass Box { w = 2 }')).toEqual([]);
    await run('const x = "now a string";');
    expect(await ls.check('x.toUpperCase();')).toEqual([]);
    expect((await ls.check('x.nope();')).map((d) => d.code)).toEqual([2339]);
  });

  it('lets later cells assign earlier `let`s but not `const`s, and checks the assigned type', async () => {
    expect(await ls.check('count++;\ncount = 5;')).toEqual([]);
    const diags = await ls.check('count = "a";\nx = "b";');
    expect(diags.map((d) => [d.line, d.code])).toEqual([
      [1, 2322],
      [2, 2588],
    ]);
  });

  it('reports columns in code points and skips magic lines', async () => {
    const diags = await ls.check('%time\nconst s = "😀😀"; const n: number = s;');
    expect(diags).toHaveLength(1);
    // `n` is the 23rd code point of line 2 (the 25th UTF-16 unit).
    expect(diags[0]).toMatchObject({ line: 2, column: 23, code: 2322 });
  });

  it('accepts top-level await, Node globals and the kernel globals', async () => {
    expect(await ls.check('const v = await Promise.resolve(1);\nv.toFixed(2);\nconsole.log(process.version);\ndisplay(v);\nsetTimeout(() => {}, 1);')).toEqual([]);
  });

  it('reports syntax errors alone', async () => {
    const diags = await ls.check('const a = ;\nconst b: number = "x";');
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ line: 1, column: 11, code: 1109 });
  });

  it('checks imports from npm packages (ESM and CJS) and local .ts files', async () => {
    await run('import { add, type Point } from "esm-pkg";\nimport cjs from "cjs-pkg";\nimport { answer } from "./util";');
    expect(await ls.check('const p: Point = { x: add(1, 2), y: answer };\ncjs.greet("a");')).toEqual([]);
    expect((await ls.check('add("1", 2);\ncjs.greet(1);')).map((d) => [d.line, d.code])).toEqual([
      [1, 2345],
      [2, 2345],
    ]);
    expect((await ls.check('import { nope } from "esm-pkg";')).map((d) => d.code)).toEqual([2305]);
  });

  it('sees packages and @types installed while the notebook runs', async () => {
    const importCell = 'import { late } from "late-pkg";\nconst n: number = late();';
    expect((await ls.check(importCell)).map((d) => d.code)).toEqual([2307]);
    await run(importCell);
    writePackage(dir, 'late-pkg', 'export declare function late(): string;\n');
    await run('console.log("installed");');
    // The failed import is resolved again when its cell is re-run, not reported from before.
    expect((await ls.check(importCell)).map((d) => d.code)).toEqual([2322]);
    expect((await ls.check('const g: string = lateGlobal;')).map((d) => d.code)).toEqual([2304]);
    writePackage(dir, '@types/late-globals', 'declare var lateGlobal: number;\n');
    expect((await ls.check('const g: string = lateGlobal;')).map((d) => d.code)).toEqual([2322]);
  });

  it('completes members of typed values from earlier cells, mid-line', async () => {
    await run('const s: string = "hello";');
    const [code, cursor] = at('foo(s.toUp|, 1)');
    const r = await ls.complete(code, cursor);
    expect(r.matches).toEqual(['toUpperCase']);
    expect([r.cursor_start, r.cursor_end]).toEqual([6, 10]);
    const types = r.metadata._jupyter_types_experimental as Array<Record<string, unknown>>;
    expect(types[0]).toMatchObject({ start: 6, end: 10, text: 'toUpperCase', type: 'function' });
    expect(String(types[0].signature)).toContain('toUpperCase(): string');
  });

  it('converts cursors around emoji (code points)', async () => {
    const [code, cursor] = at('const e = "😀😀"; s.toLo|');
    const r = await ls.complete(code, cursor);
    expect(r.matches).toContain('toLowerCase');
    expect(r.cursor_end).toBe(cursor);
    expect(r.cursor_start).toBe(cursor - 4);
  });

  it('completes globals, names from earlier cells, imports, keywords and object keys', async () => {
    expect((await ls.complete('gre', 3)).matches).toContain('greet');
    expect((await ls.complete('ad', 2)).matches).toContain('add');
    expect((await ls.complete('cjs.', 4)).matches).toEqual(expect.arrayContaining(['greet', 'version']));
    expect((await ls.complete('proc', 4)).matches).toContain('process');
    expect((await ls.complete('whil', 4)).matches).toContain('while');
    const [code, cursor] = at('const p: Point = { |');
    expect((await ls.complete(code, cursor)).matches).toEqual(expect.arrayContaining(['x', 'y']));
    const [code2, cursor2] = at('import { a| } from "esm-pkg";');
    expect((await ls.complete(code2, cursor2)).matches).toContain('add');
  });

  it('merges runtime members for any-typed values', async () => {
    await run('const o: any = JSON.parse("{}");');
    const r = await ls.complete('o.al', 4);
    expect(asked).toContain('o');
    expect(r.matches).toEqual(['alpha']);
    expect([r.cursor_start, r.cursor_end]).toEqual([2, 4]);
  });

  it('inspects values from earlier cells and packages, with JSDoc', async () => {
    const r = await ls.inspect('greet(1)', 2, 0);
    expect(r.found).toBe(true);
    expect(r.data['text/plain']).toBe('function greet(n: number): number');
    expect(r.data['text/markdown']).toContain('```typescript\nfunction greet(n: number): number\n```');
    const a = await ls.inspect('add(1, 2)', 1, 0);
    expect(a.data['text/plain']).toContain('add(a: number, b: number): number');
    expect(a.data['text/plain']).toContain('Adds two numbers.');
    const g = await ls.inspect('cjs.greet("x")', 6, 0);
    expect(g.data['text/plain']).toContain('Greets someone.');
  });

  it('reads doc comments on demand: lib, Node typings, a cell, a parameter, inside a call', async () => {
    // The program keeps no JSDoc of .ts files (docComments.ts): each comes from its declaration.
    const text = async (code: string, cursor = code.length): Promise<string> => String((await ls.inspect(code, cursor, 0)).data['text/plain']);
    const max = await text('Math.max');
    expect(max).toContain('Returns the larger of a set of supplied numeric expressions.');
    expect(max).toContain('@param values Numeric expressions to be evaluated.');
    const cwd = await text('process.cwd');
    expect(cwd).toContain('returns the current working directory');
    expect(cwd).toContain('@since v0.1.8');
    await run('/** Doubles a number.\n * @param n the number to double\n */\nfunction twice(n: number): number {\n  return 2 * n;\n}');
    const twice = await text('twice(3)', 2);
    expect(twice).toContain('Doubles a number.');
    expect(twice).toContain('@param n the number to double');
    expect(await text(...at('twice(|'))).toContain('Doubles a number.');
    const param = '/** @param x how many to take */\nfunction take(x: number) {\n  return x;\n}';
    expect(await text(param, param.lastIndexOf('x'))).toContain('how many to take');
    // A member without a doc comment shows none, not its interface's.
    const member = '/** The box. */\ninterface Box2 {\n  size: number;\n}\ndeclare const b: Box2;\nb.size';
    const size = await text(member);
    expect(size).toContain('size: number');
    expect(size).not.toContain('The box.');
  });

  it('shows the callee signature inside call parentheses and the source at detail level 1', async () => {
    const [code, cursor] = at('greet(|');
    const r = await ls.inspect(code, cursor, 0);
    expect(r.found).toBe(true);
    expect(r.data['text/plain']).toContain('greet(n: number): number');
    const d = await ls.inspect('greet', 5, 1);
    expect(d.data['text/plain']).toContain('Cell [2]');
    expect(d.data['text/plain']).toContain('return n;');
  });

  it('shows a default lib declaration at its own file and line (the libs are joined into one file)', async () => {
    const d = await ls.inspect('[3, 1].toSorted()', 10, 1);
    const where = /Source \((.*lib\.es2023\.array\.d\.ts):(\d+)\):/.exec(d.data['text/plain']);
    expect(where).not.toBeNull();
    const line = fs.readFileSync(path.resolve(dir, where![1]), 'utf8').split('\n')[Number(where![2]) - 1];
    expect(line).toContain('toSorted(');
  });

  it('answers is_complete from the parser', async () => {
    expect(await ls.isComplete('const a = 1;')).toEqual({ status: 'complete' });
    expect(await ls.isComplete('function f() {\n  if (a) {')).toEqual({ status: 'incomplete', indent: '    ' });
    expect((await ls.isComplete('const t = `a ${')).status).toBe('incomplete');
    expect((await ls.isComplete('const y = 1 +')).status).toBe('incomplete');
    expect((await ls.isComplete('if (a)')).status).toBe('incomplete');
    expect((await ls.isComplete('const = 5;')).status).toBe('invalid');
    expect((await ls.isComplete('}')).status).toBe('invalid');
    expect((await ls.isComplete('%time\nlet z = 1')).status).toBe('complete');
  });

  it('survives bad inputs', async () => {
    expect(await ls.check('')).toEqual([]);
    expect(await ls.check('   \n')).toEqual([]);
    const empty = await ls.complete('', 0);
    expect(empty.cursor_start).toBe(0);
    const past = await ls.complete('s.toUp', 999);
    expect(past.matches).toEqual(['toUpperCase']);
    expect([past.cursor_start, past.cursor_end]).toEqual([2, 6]);
    expect((await ls.complete('s.toUp', -5)).cursor_end).toBe(0);
    expect((await ls.inspect('', 0, 0)).found).toBe(false);
    expect((await ls.inspect('greet', 999, 0)).found).toBe(true);
    expect((await ls.complete('// just a comment s.', 20)).matches).toEqual([]);
  });

  it('stays correct while superseded and declaration-less cells leave the program', async () => {
    for (let i = 0; i < 50; i++) await run(`const w${i % 5} = ${i};`);
    await run('1 + 1');
    await run('console.log(w1);');
    expect(await ls.check('const n: number = w0 + w4;')).toEqual([]);
    await run('const w2 = "now a string";');
    expect((await ls.check('const k: number = w2;')).map((d) => d.code)).toEqual([2322]);
    await run('declare global { var flagged: boolean }');
    for (let i = 0; i < 5; i++) await run(`const w${i} = ${i};`);
    expect(await ls.check('const f: boolean = flagged;\nconst g: number = w2;')).toEqual([]);
    expect((await ls.complete('w', 1)).matches).toEqual(expect.arrayContaining(['w0', 'w4']));
  });

  it('sees the cells that just ran when a check can depend on them', async () => {
    await run('const fresh = "text";');
    expect((await ls.check('const k: number = fresh;')).map((d) => d.code)).toEqual([2322]);
    await run('declare global { var later: number }');
    expect((await ls.check('const t: string = later;')).map((d) => d.code)).toEqual([2322]);
    await run('const unrelated = 1;');
    expect(await ls.check('const u: number = 1;')).toEqual([]);
    expect((await ls.check('const v: string = unrelated;')).map((d) => d.code)).toEqual([2322]);
  });

  it('names types from earlier cells as written, and a shadowed one by its cell', async () => {
    await run('enum Color { Red, Green }\ninterface Shape { sides: number }\nconst sq: Shape = { sides: 4 };');
    const label = `Cell [${n}]`;
    expect((await ls.check('const c: string = Color.Red;')).map((d) => d.message)).toEqual(["Type 'Color' is not assignable to type 'string'."]);
    const shadowed = await ls.check('interface Shape { name: string }\nconst s: Shape = sq;');
    expect(shadowed.map((d) => d.message)).toEqual([expect.stringContaining(`Property 'name' is missing in type '${label}.Shape' but required in type 'Shape'.`)]);
  });

  it('handles a huge cell', async () => {
    const big = Array.from({ length: 5000 }, (_, i) => `const v${i}: number = ${i};`).join('\n') + '\nconst bad: string = 1;';
    const diags = await ls.check(big);
    expect(diags).toEqual([expect.objectContaining({ line: 5001, code: 2322 })]);
    const r = await ls.complete(big + '\nv49', big.length + 4);
    expect(r.matches).toEqual(expect.arrayContaining(['v49', 'v499', 'v4999']));
  });
});

describe('LanguageService (JavaScript)', () => {
  let dir: string;
  let ls: LanguageService;
  beforeAll(() => {
    dir = makeNotebookDir();
    ls = new LanguageService({ language: 'javascript', notebookDir: dir });
  });
  afterAll(async () => {
    await ls.dispose();
    removeDir(dir);
  });

  it('completes and inspects with inferred types, without type errors', async () => {
    ls.addCell('const { add } = await import("esm-pkg");\nlet word = "abc";\nfunction twice(n) { return n * 2; }', 1);
    expect(await ls.check('word = 5;\ntwice("x");')).toEqual([]);
    expect((await ls.complete('word.toUp', 9)).matches).toEqual(['toUpperCase']);
    expect((await ls.inspect('twice', 2, 0)).data['text/plain']).toContain('function twice(n: any): number');
    expect((await ls.inspect('add', 2, 0)).data['text/plain']).toContain('(a: number, b: number) => number');
    expect((await ls.check('const = 1'))[0]).toMatchObject({ line: 1, column: 7, code: 1134 });
  });
});

describe("LanguageService with the notebook's tsconfig.json naming libs", () => {
  let dir: string;
  let ls: LanguageService;
  beforeAll(() => {
    dir = makeNotebookDir();
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { lib: ['es2022', 'dom'] } }));
    ls = new LanguageService({ language: 'typescript', notebookDir: dir });
  });
  afterAll(async () => {
    await ls.dispose();
    removeDir(dir);
  });

  it('checks against those libs: the DOM is in, ES2023 is out', async () => {
    expect(await ls.check('const t: string = document.title.toUpperCase();\n[1, 2].at(-1);')).toEqual([]);
    const diags = await ls.check('[3, 1].toSorted();');
    expect(diags).toHaveLength(1);
    expect(diags[0].message).toContain("Property 'toSorted' does not exist");
    expect((await ls.complete('document.getElementBy', 21)).matches).toContain('getElementById');
    expect((await ls.inspect('document.title', 10, 1)).data['text/plain']).toMatch(/lib\.dom\.d\.ts:\d+\)/);
  });

  it("honours a cell's triple-slash references: in its own check, and in later cells once it ran", async () => {
    const withRef = '/// <reference lib="es2023.array" />\nconst sorted = [3, 1].toSorted();';
    expect(await ls.check(withRef)).toEqual([]);
    // Checked but not run: later cells do not see it.
    expect((await ls.check('[3, 1].toSorted();')).map((d) => d.code)).toEqual([2550]);
    ls.addCell(withRef, 1);
    expect(await ls.check('[3, 1].toSorted();\nsorted.at(0);')).toEqual([]);
    expect((await ls.complete('[1].toSo', 8)).matches).toContain('toSorted');
  });
});
