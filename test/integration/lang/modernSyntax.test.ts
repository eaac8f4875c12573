// TypeScript as people write it, over a real kernel: cells that need the full transform (enums,
// parameter properties, standard decorators, `using`, JSX) run and report errors at the cell's
// own line:column with the code line and a caret; values that are errors or rejected promises and
// missing packages show no kernel frames, temp paths or internal names; import.meta describes the
// notebook folder; .tsx files import.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KernelClient } from '../../helpers/kernelClient';

jest.setTimeout(60000);

let k: KernelClient;
let dir: string;

function writePackage(name: string, files: Record<string, string>): void {
  const root = path.join(dir, 'node_modules', name);
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(
    path.join(root, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', exports: { './jsx-runtime': './jsx-runtime.js', './jsx-dev-runtime': './jsx-runtime.js', '.': './index.js' } }),
  );
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(root, f), text);
}

beforeAll(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-lang-')));
  // Stand-ins for React's and another library's automatic JSX runtime (CommonJS, as React ships).
  writePackage('react', {
    'index.js': 'exports.version = "test";\n',
    'jsx-runtime.js': 'exports.jsx = exports.jsxs = (type, props) => ({ lib: "react", type, props });\nexports.Fragment = "Fragment";\n',
  });
  writePackage('minijsx', { 'index.js': '', 'jsx-runtime.js': 'exports.jsx = exports.jsxs = (type, props) => ({ lib: "mini", type, props });\n' });
  fs.writeFileSync(path.join(dir, 'badge.tsx'), 'export function Badge(p: { label: string }) {\n  return <span className="badge">{p.label}</span>;\n}\n');
  k = await KernelClient.start({ cwd: dir });
});
afterAll(async () => {
  await k.shutdown();
});

type Run = Awaited<ReturnType<KernelClient['execute']>>;
const text = (r: Run): string => String(r.outputs.find((m) => m.header.msg_type === 'execute_result')?.content.data['text/plain']);
const traceback = (r: Run): string => (r.reply.content.traceback as string[]).join('\n');
const INTERNALS = /tskernel_ipykernel|__tskernel|kernel\/dist|node:internal|sigintHandlersWrap|AsyncLocalStorage|runInThisContext|import-meta-resolve|kResourceStore/;

test('an error thrown in an enum cell points at its own line 3 with the code and a caret', async () => {
  const r = await k.execute("enum E { A }\nconst z = 1;\nthrow new Error('where am I')");
  const n = r.reply.content.execution_count;
  expect(r.reply.content).toMatchObject({ status: 'error', ename: 'Error', evalue: 'where am I' });
  const tb = traceback(r);
  expect(tb).toContain(`at Cell [${n}]:3:7`);
  expect(tb).toContain(`Cell [${n}], line 3:7:\n3 | throw new Error('where am I')\n  |       ^`);
  expect(tb).not.toMatch(INTERNALS);
});

test('parameter properties: a throwing method is reported on its own line and column', async () => {
  const r = await k.execute('class Acc {\n  constructor(public a: number) {}\n  check() {\n    if (this.a < 0) throw new RangeError("negative");\n  }\n}\nnew Acc(-1).check()');
  const n = r.reply.content.execution_count;
  const tb = traceback(r);
  expect(tb).toContain(`at Acc.check (Cell [${n}]:4:27)`);
  expect(tb).toContain(`4 |     if (this.a < 0) throw new RangeError("negative");`);
  expect(tb).not.toMatch(INTERNALS);
});

test('a syntax error in a cell that needs the transform shows the cell line as written', async () => {
  const r = await k.execute('enum Dir { Up }\nconst d: Dir = ;');
  expect(r.reply.content).toMatchObject({ status: 'error', ename: 'SyntaxError' });
  expect(traceback(r)).toMatch(/line 2:16:\n2 \| const d: Dir = ;\n {2}\| {16}\^/);
});

test('a syntax error only V8 finds (in a transformed cell) is mapped to the cell, not the generated code', async () => {
  const r = await k.execute('enum Mode { On }\nconst word = /(?<w>a)|(?<w>b)/;');
  const n = r.reply.content.execution_count;
  expect(r.reply.content).toMatchObject({ status: 'error', ename: 'SyntaxError' });
  const tb = traceback(r);
  expect(tb).toContain(`Cell [${n}], line 2:`);
  expect(tb).toContain('2 | const word = /(?<w>a)|(?<w>b)/;');
  expect(tb).not.toContain('Mode[Mode');
  expect(tb).not.toMatch(INTERNALS);
});

test('an Error as a cell result names the cell, with no temp paths or kernel frames', async () => {
  const r = await k.execute("new Error('bad')");
  const n = r.reply.content.execution_count;
  expect(text(r)).toMatch(new RegExp(`^Error: bad\\n\\s+at Cell \\[${n}\\]:1:1`));
  expect(text(r)).not.toMatch(INTERNALS);
});

test('a rejected promise as a result shows the error once, without internal symbols', async () => {
  const r = await k.execute("const p = Promise.reject(new TypeError('nope'));\np.catch(() => {});\np");
  expect(text(r)).toMatch(/^Promise \{\n?\s*<rejected> TypeError: nope/);
  expect(text(r)).not.toMatch(INTERNALS);
});

test('a missing package says what to install and where', async () => {
  const r = await k.execute('import leftpad from "no-such-package-xyz";');
  expect(r.reply.content.status).toBe('error');
  expect(r.reply.content.evalue).toContain(`npm install no-such-package-xyz\` in ${dir}`);
  expect(traceback(r)).not.toMatch(INTERNALS);
  const cjs = await k.execute('require("no-such-cjs-xyz")');
  expect(cjs.reply.content.evalue).toBe(`Cannot find module 'no-such-cjs-xyz': run \`npm install no-such-cjs-xyz\` in ${dir}`);
  expect(traceback(cjs)).not.toMatch(INTERNALS);
});

test('TS 5 standard decorators on a class and a method', async () => {
  const r = await k.execute(
    'const seen: string[] = [];\nfunction tag(value: any, ctx: DecoratorContext) { seen.push(`${ctx.kind}:${String(ctx.name)}`); }\n@tag class Shop {\n  @tag open() { return 1; }\n}\n[seen, new Shop().open()]',
  );
  expect(r.reply.content.status).toBe('ok');
  expect(text(r)).toBe("[ [ 'method:open', 'class:Shop' ], 1 ]");
  // The helpers TypeScript emitted are not the user's variables.
  const names = await k.execute('["__esDecorate", "__runInitializers"].map((n) => [typeof (globalThis as any)[n], Object.keys(globalThis).includes(n)])');
  expect(text(names)).toBe("[ [ 'function', false ], [ 'function', false ] ]");
});

test('a parameter decorator says it is not supported', async () => {
  const r = await k.execute('function inject(a: any, b: any) {}\nclass S { constructor(@inject x: number) {} }');
  expect(r.reply.content).toMatchObject({ status: 'error', ename: 'SyntaxError' });
  expect(r.reply.content.evalue).toMatch(/parameter decorators .*not supported/);
  expect(traceback(r)).toMatch(/line 2:23:/);
});

test('using in a block and at top level (sync and await) are disposed, top level at the end of the cell', async () => {
  await k.execute(
    'const log: string[] = [];\nconst res = (n: string) => ({ [Symbol.dispose]() { log.push("dispose " + n); } });\nconst ares = (n: string) => ({ async [Symbol.asyncDispose]() { await null; log.push("adispose " + n); } });',
  );
  const block = await k.execute('function f() { using r = res("inner"); log.push("body"); return 7; }\nf()');
  expect(text(block)).toBe('7');
  const top = await k.execute('using a = res("a");\nawait using b = ares("b");\nlog.push("last line");\nlog.length');
  expect(top.reply.content.status).toBe('ok');
  // The last expression runs before disposal.
  expect(text(top)).toBe('3');
  expect(text(await k.execute('log'))).toBe("[ 'body', 'dispose inner', 'last line', 'adispose b', 'dispose a' ]");
});

test('import.meta describes the notebook folder', async () => {
  const r = await k.execute('[import.meta.dirname, new URL("./data.csv", import.meta.url).pathname, import.meta.filename.startsWith(import.meta.dirname)]');
  expect(text(r)).toBe(`[ '${dir}', '${dir}/data.csv', true ]`);
});

test('JSX with the automatic React runtime, a @jsxImportSource pragma, and a .tsx import', async () => {
  const r = await k.execute('const el = <div className="x">hi</div>;\n[el.lib, el.type, el.props.className, el.props.children]');
  expect(text(r)).toBe("[ 'react', 'div', 'x', 'hi' ]");
  const mini = await k.execute('/** @jsxImportSource minijsx */\nconst m = <b>bold</b>;\nm.lib');
  expect(text(mini)).toBe("'mini'");
  const tsx = await k.execute('import { Badge } from "./badge.tsx";\nconst b = Badge({ label: "new" });\n[b.type, b.props.className, b.props.children]');
  expect(text(tsx)).toBe("[ 'span', 'badge', 'new' ]");
  // Written the way bundlers and TypeScript's own resolution allow: no extension, or `.jsx`.
  const bare = await k.execute('import { Badge as B2 } from "./badge";\nB2({ label: "bare" }).props.children');
  expect(text(bare)).toBe("'bare'");
  const jsx = await k.execute('const { Badge: B3 } = await import("./badge.jsx");\nB3({ label: "jsx" }).props.children');
  expect(text(jsx)).toBe("'jsx'");
});

test('JSX whose runtime is not installed says which package to install and where', async () => {
  const r = await k.execute('/** @jsxImportSource not-installed-jsx */\nconst e = <i />;');
  expect(r.reply.content.status).toBe('error');
  expect(r.reply.content.evalue).toContain(`npm install not-installed-jsx\` in ${dir}`);
  expect(traceback(r)).not.toMatch(INTERNALS);
});
