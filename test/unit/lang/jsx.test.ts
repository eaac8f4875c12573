// JSX cells in the language service: a cell that parses only as TSX is checked as TSX (in a
// `.tsx` virtual file), every other cell as TypeScript, so JSX gets no bogus parse errors and
// generic arrows / `<T>` casts still parse. Real worker, real compiler, a stand-in React package
// with JSX typings (and, for the true report, a notebook without React).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { LanguageService } from '../../../kernel/src/lang/service';
import { NotebookModel } from '../../../kernel/src/lang/service/notebookModel';
import { makeNotebookDir, removeDir } from './fixture';

jest.setTimeout(60_000);

/** A stand-in for React's automatic JSX runtime with typings (any tag, any props). */
function writeStandInReact(dir: string): void {
  const pkg = path.join(dir, 'node_modules', 'react');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'react', version: '0.0.0-test', main: 'index.js', types: 'index.d.ts' }));
  fs.writeFileSync(path.join(pkg, 'index.js'), 'exports.version = "test";\n');
  fs.writeFileSync(path.join(pkg, 'index.d.ts'), 'export declare const version: string;\n');
  fs.writeFileSync(path.join(pkg, 'jsx-runtime.js'), 'exports.jsx = exports.jsxs = (type, props) => ({ type, props });\nexports.Fragment = "Fragment";\n');
  fs.writeFileSync(
    path.join(pkg, 'jsx-runtime.d.ts'),
    [
      'export namespace JSX {',
      '  interface Element { type: unknown; props: unknown }',
      '  interface IntrinsicElements { [tag: string]: Record<string, unknown> }',
      '  interface ElementChildrenAttribute { children: {} }',
      '}',
      'export declare function jsx(type: unknown, props: unknown): JSX.Element;',
      'export declare const jsxs: typeof jsx;',
      'export declare const Fragment: unique symbol;',
      '',
    ].join('\n'),
  );
}

describe('NotebookModel cell kinds', () => {
  it('gives JSX cells .tsx files and other cells .ts files, history and current alike', () => {
    const m = new NotebookModel(path.resolve('/tmp/tskernel-jsx-model'), '.ts');
    expect(path.basename(m.add('const el = <div id="a">hi</div>;', 1).added?.fileName ?? '')).toBe('__tskernel_cell_1.tsx');
    expect(path.basename(m.add('const id = <T,>(x: T) => x;\nconst g = <T>(x: T): T => x;\nconst n = <number>(1 as unknown);', 2).added?.fileName ?? '')).toBe('__tskernel_cell_2.ts');
    const jsx = m.renderCurrent('const b = <b>{id(1)}</b>;');
    expect(path.basename(jsx.fileName)).toBe('__tskernel_current.tsx');
    expect(m.labelOf(jsx.fileName)).toBe('this cell');
    expect(path.basename(m.renderCurrent('const h = <T>(x: T) => x;').fileName)).toBe('__tskernel_current.ts');
    // Broken in both kinds: stays TypeScript, so its syntax errors are TypeScript's.
    expect(path.basename(m.renderCurrent('const = <div>').fileName)).toBe('__tskernel_current.ts');
  });
});

describe('LanguageService with JSX cells (stand-in React with typings)', () => {
  let dir: string;
  let ls: LanguageService;
  let n = 0;
  const run = (code: string): void => ls.addCell(code, ++n);

  beforeAll(() => {
    dir = makeNotebookDir();
    writeStandInReact(dir);
    ls = new LanguageService({ language: 'typescript', notebookDir: dir, runtimeMembers: async () => [] });
    ls.warmUp();
  });
  afterAll(async () => {
    await ls.dispose();
    removeDir(dir);
  });

  it('reports nothing for a JSX cell', async () => {
    expect(await ls.check('const el = <div className="x">{1 + 1}</div>;\nconst frag = <><span /></>;')).toEqual([]);
  });

  it('reports nothing for generic arrows and casts, also right after a JSX cell ran', async () => {
    run('const el = <div>hi</div>;');
    expect(await ls.check('const id = <T>(x: T) => x;\nconst n: number = id(1) + <number>(2 as unknown);')).toEqual([]);
  });

  it('makes a JSX cell’s names visible, with their types, to later TS and JSX cells', async () => {
    run('function Hello(p: { name: string }) {\n  return <b>{p.name}</b>;\n}\nconst greeting = <Hello name="x" />;');
    expect(await ls.check('const g: { type: unknown } = greeting;\nHello({ name: "y" });')).toEqual([]);
    expect((await ls.check('Hello({ name: 1 });')).map((d) => d.code)).toEqual([2322]);
    expect(await ls.check('const again = <Hello name="z" />;')).toEqual([]);
    expect((await ls.check('const bad = <Hello name={1} />;')).map((d) => d.code)).toEqual([2322]);
  });

  it('reports true type errors in a JSX cell at the right position', async () => {
    expect(await ls.check('const el2 = <i>{missing}</i>;')).toEqual([expect.objectContaining({ line: 1, column: 17, code: 2304 })]);
  });

  it('completes, inspects and answers is_complete in a JSX cell', async () => {
    const code = 'const s = "abc";\nconst el3 = <p>{s.toUp}</p>;';
    const cursor = code.indexOf('toUp') + 4;
    expect((await ls.complete(code, cursor)).matches).toEqual(['toUpperCase']);
    const hover = await ls.inspect('const el4 = <p>{greeting}</p>;', 18, 0);
    expect(hover.found).toBe(true);
    expect(hover.data['text/plain']).toContain('greeting');
    expect(await ls.isComplete('const el5 = <p>{1}</p>;')).toEqual({ status: 'complete' });
    expect(await ls.isComplete('const id2 = <T>(x: T) => x;')).toEqual({ status: 'complete' });
  });
});

describe('LanguageService with a JSX cell and no React typings', () => {
  let dir: string;
  let ls: LanguageService;
  beforeAll(() => {
    dir = makeNotebookDir();
    ls = new LanguageService({ language: 'typescript', notebookDir: dir });
  });
  afterAll(async () => {
    await ls.dispose();
    removeDir(dir);
  });

  it('reports the missing JSX runtime, not parse errors', async () => {
    const diags = await ls.check('const el = <div>hi</div>;');
    expect(diags.length).toBeGreaterThan(0);
    // Semantic errors only (parse errors are TS1xxx).
    expect(diags.filter((d) => d.code < 2000)).toEqual([]);
    expect(diags.map((d) => d.message).join('\n')).toMatch(/react\/jsx-runtime|JSX/);
  });
});
