// Execution semantics seen from a real client over ZeroMQ: results, re-runs, top-level await,
// imports, errors with cell names, stdout routing, rich display, stop_on_error, silent.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KernelClient } from '../../helpers/kernelClient';

let k: KernelClient;
let nbDir: string;

beforeAll(async () => {
  nbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-nb-'));
  const esm = path.join(nbDir, 'node_modules', 'esm-only');
  fs.mkdirSync(esm, { recursive: true });
  fs.writeFileSync(path.join(esm, 'package.json'), JSON.stringify({ name: 'esm-only', type: 'module', exports: { import: './index.js' } }));
  fs.writeFileSync(path.join(esm, 'index.js'), 'export const hello = (n) => `hello ${n}`;\nexport default 42;\n');
  const cjs = path.join(nbDir, 'node_modules', 'cjs-pkg');
  fs.mkdirSync(cjs, { recursive: true });
  fs.writeFileSync(path.join(cjs, 'package.json'), JSON.stringify({ name: 'cjs-pkg', main: 'index.js' }));
  fs.writeFileSync(path.join(cjs, 'index.js'), 'module.exports = { twice: (x) => 2 * x };\n');
  fs.writeFileSync(path.join(nbDir, 'util.ts'), 'export function square(n: number): number {\n  return n * n;\n}\n');
  k = await KernelClient.start({ cwd: nbDir });
});
afterAll(async () => {
  await k.shutdown();
});

const result = (r: Awaited<ReturnType<KernelClient['execute']>>) => r.outputs.find((m) => m.header.msg_type === 'execute_result')?.content.data['text/plain'];

test('the value of the last expression is the execute_result, like Node inspect without colours', async () => {
  const r = await k.execute('const x: number = 41;\nx + 1');
  expect(r.reply.content.status).toBe('ok');
  expect(result(r)).toBe('42');
  const obj = await k.execute('({ a: [1, 2], s: "x" })');
  expect(result(obj)).toBe("{ a: [ 1, 2 ], s: 'x' }");
});

test('execute_input comes first with the execution count, and counts increase', async () => {
  const a = await k.execute('1');
  const b = await k.execute('2');
  expect(a.iopub.map((m) => m.header.msg_type).slice(0, 2)).toEqual(['status', 'execute_input']);
  expect(b.reply.content.execution_count).toBe(a.reply.content.execution_count + 1);
  expect(b.iopub[1].content.execution_count).toBe(b.reply.content.execution_count);
});

test('re-running cells that declare const, let, class and function works', async () => {
  const cell = 'const c = 1;\nlet l = 2;\nclass K { v = 3 }\nfunction f() { return c + l + new K().v; }\nf()';
  expect(result(await k.execute(cell))).toBe('6');
  const again = await k.execute(cell);
  expect(again.reply.content.status).toBe('ok');
  expect(result(again)).toBe('6');
});

test('top-level await, and declarations made after it are globals', async () => {
  const r = await k.execute('const v = await Promise.resolve(5);\nclass P {}\nfunction g() { return v * 2; }\nv');
  expect(result(r)).toBe('5');
  expect(result(await k.execute('g() + (new P() instanceof P ? 1 : 0)'))).toBe('11');
});

test('imports: ESM-only npm package, CommonJS package, local .ts file, node: builtins, require', async () => {
  const r = await k.execute(
    'import hi, { hello } from "esm-only";\nimport * as cj from "cjs-pkg";\nimport { square } from "./util.ts";\nimport path from "node:path";\n[hello(hi), cj.twice(2), square(3), path.basename("/a/b")]',
  );
  expect(r.reply.content).toMatchObject({ status: 'ok' });
  expect(result(r)).toBe("[ 'hello 42', 4, 9, 'b' ]");
  expect(result(await k.execute('require("cjs-pkg").twice(5)'))).toBe('10');
  expect(result(await k.execute('const { square: sq } = await import("./util.js");\nsq(4)'))).toBe('16');
});

test('TypeScript features that need a transform (enum, parameter properties) run', async () => {
  expect(result(await k.execute('enum Color { Red, Green }\nColor.Green'))).toBe('1');
  expect(result(await k.execute('class A { constructor(public n: number) {} }\nnew A(5).n'))).toBe('5');
});

test('runtime errors name the cell and the TS line:column, with a caret and no kernel frames', async () => {
  const r = await k.execute('type T = { a: string };\nfunction boom(t: T) {\n  throw new RangeError("bad " + t.a);\n}\nboom({ a: "x" })');
  const n = r.reply.content.execution_count;
  expect(r.reply.content).toMatchObject({ status: 'error', ename: 'RangeError', evalue: 'bad x' });
  const tb = r.reply.content.traceback.join('\n');
  expect(tb).toContain(`at boom (Cell [${n}]:3:9)`);
  expect(tb).toContain(`Cell [${n}], line 3:9:`);
  expect(tb).toContain('3 |   throw new RangeError("bad " + t.a);');
  expect(tb).not.toMatch(/kernel\/dist|node:internal|runInThisContext/);
  const err = r.outputs.find((m) => m.header.msg_type === 'error');
  expect(err?.content).toEqual({ ename: 'RangeError', evalue: 'bad x', traceback: r.reply.content.traceback });
});

test('syntax errors point at line:column with a caret', async () => {
  const r = await k.execute('const ok = 1;\nlet y = ;');
  expect(r.reply.content).toMatchObject({ status: 'error', ename: 'SyntaxError' });
  expect(r.reply.content.traceback.join('\n')).toMatch(/line 2:9:\n2 \| let y = ;\n {2}\| {9}\^/);
});

test('stop_on_error aborts executions queued behind a failing cell', async () => {
  // The failing cell runs long enough that the second request is surely queued behind it.
  const a = k.run('const until = Date.now() + 300; while (Date.now() < until) {}\nthrow new Error("first")');
  const b = k.run('"second"');
  expect((await a.reply).content.status).toBe('error');
  expect((await b.reply).content.status).toBe('aborted');
  await k.waitIdle(b.msgId);
});

test('silent executions publish nothing and do not count', async () => {
  const before = (await k.execute('1')).reply.content.execution_count;
  const s = await k.execute('console.log("quiet?"); 5', { silent: true });
  expect(s.outputs.filter((m) => m.header.msg_type === 'execute_result')).toHaveLength(0);
  expect(s.iopub.some((m) => m.header.msg_type === 'execute_input')).toBe(false);
  expect((await k.execute('1')).reply.content.execution_count).toBe(before + 1);
});

test('user_expressions are evaluated after the cell', async () => {
  const r = await k.execute('const ue = 7', { user_expressions: { a: 'ue * 6', bad: 'nope.x' } });
  expect(r.reply.content.user_expressions.a).toMatchObject({ status: 'ok', data: { 'text/plain': '42' } });
  expect(r.reply.content.user_expressions.bad).toMatchObject({ status: 'error', ename: 'ReferenceError' });
});

test('blank code still evaluates user_expressions (a client polling values), silently', async () => {
  await k.execute('let polled = 3');
  const r = await k.execute('', { silent: true, user_expressions: { p: 'polled + 1', bad: 'nope.x' } });
  expect(r.reply.content.status).toBe('ok');
  expect(r.reply.content.user_expressions.p).toMatchObject({ status: 'ok', data: { 'text/plain': '4' } });
  expect(r.reply.content.user_expressions.bad).toMatchObject({ status: 'error', ename: 'ReferenceError' });
  expect(r.outputs).toHaveLength(0);
  const blank = await k.execute('  \n', { user_expressions: { p: 'polled' } });
  expect(blank.reply.content.user_expressions.p).toMatchObject({ status: 'ok', data: { 'text/plain': '3' } });
  expect(blank.outputs).toHaveLength(0);
});

test('output from timers after the reply goes to the cell that started them', async () => {
  const r = await k.execute('setTimeout(() => console.log("late line"), 30); "started"');
  const late = await k.waitIopub((m) => m.header.msg_type === 'stream' && m.content.text.includes('late line'));
  expect(late.parent_header.msg_id).toBe(r.reply.parent_header.msg_id);
});

test('100k printed lines arrive complete and in order before idle', async () => {
  const r = await k.execute('for (let i = 0; i < 100000; i++) console.log(i);');
  const lines = r.stdout.split('\n');
  expect(lines.length).toBe(100001);
  expect(lines[0]).toBe('0');
  expect(lines[99999]).toBe('99999');
  expect(lines.every((l, i) => i === 100000 || l === String(i))).toBe(true);
});

test('stdout and stderr streams, process.stdout.write included', async () => {
  const r = await k.execute('console.log("out"); console.error("err"); process.stdout.write("raw\\n")');
  expect(r.stdout).toBe('out\nraw\n');
  expect(r.stderr).toBe('err\n');
});

test('rich display: display(), typed helpers, display_id updates, clear_output, Jupyter.display symbol', async () => {
  const r = await k.execute(
    [
      'display.html("<b>hi</b>");',
      'display({ "text/markdown": "# md" });',
      'const h = display.text("v1", { display_id: "d1" });',
      'h!.update("v2");',
      'display.clear({ wait: true });',
      'class Rich { [Symbol.for("Jupyter.display")]() { return { "text/html": "<i>rich</i>" }; } }',
      'new Rich()',
    ].join('\n'),
  );
  const types = r.outputs.map((m) => m.header.msg_type);
  expect(types).toEqual(['display_data', 'display_data', 'display_data', 'update_display_data', 'clear_output', 'execute_result']);
  expect(r.outputs[0].content.data['text/html']).toBe('<b>hi</b>');
  expect(r.outputs[1].content.data['text/markdown']).toBe('# md');
  expect(r.outputs[3].content).toMatchObject({ data: { 'text/plain': 'v2' }, transient: { display_id: 'd1' } });
  expect(r.outputs[4].content.wait).toBe(true);
  expect(r.outputs[5].content.data['text/html']).toBe('<i>rich</i>');
});

test('tskernel/display is importable from cells', async () => {
  const r = await k.execute('import { display as d } from "tskernel/display";\nd.markdown("*it*");\nrequire("tskernel/display").display.text("req")');
  expect(r.reply.content.status).toBe('ok');
  expect(r.outputs.map((m) => m.content.data?.['text/markdown'] ?? m.content.data?.['text/plain'])).toEqual(['*it*', 'req']);
});

test('async errors after the reply are reported, not fatal', async () => {
  const r = await k.execute('setTimeout(() => { throw new Error("async boom"); }, 5);\nPromise.reject(new Error("rejected"));\n1');
  expect(r.reply.content.status).toBe('ok');
  const parent = r.reply.parent_header.msg_id;
  await k.waitIopub((m) => m.header.msg_type === 'error' && m.content.evalue === 'async boom' && m.parent_header.msg_id === parent);
  await k.waitIopub((m) => m.header.msg_type === 'error' && m.content.evalue === 'rejected');
  expect(result(await k.execute('"still alive"'))).toBe("'still alive'");
});
