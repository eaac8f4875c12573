// The TypeScript language service through the kernel: type errors across cells in each check
// mode, completion and hover on earlier cells and on an npm package with typings, is_complete.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KernelClient } from '../../helpers/kernelClient';

jest.setTimeout(60000);

let k: KernelClient;
beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-ts-'));
  const pkg = path.join(dir, 'node_modules', 'typed-pkg');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'typed-pkg', main: 'index.js', types: 'index.d.ts' }));
  fs.writeFileSync(path.join(pkg, 'index.js'), 'exports.greet = (name) => "hi " + name;\n');
  fs.writeFileSync(path.join(pkg, 'index.d.ts'), '/** Greets someone politely. */\nexport declare function greet(name: string): string;\n');
  k = await KernelClient.start({ cwd: dir });
});
afterAll(async () => {
  await k.shutdown();
});

/** The type report of an execution: a stderr stream parented to it (it may come after idle). */
async function report(r: Awaited<ReturnType<KernelClient['execute']>>): Promise<string> {
  const m = await k.waitIopub((x) => x.parent_header.msg_id === r.reply.parent_header.msg_id && x.header.msg_type === 'stream' && /TS\d+/.test(x.content.text), 20000, 'type report');
  return m.content.text as string;
}

test('warn mode: a call that breaks a type from an earlier cell runs, then the report follows with Cell [n] line:col, caret and code', async () => {
  await k.execute('function area(w: number, h: number): number {\n  return w * h;\n}');
  const r = await k.execute('const a = area(2, "3");\na');
  const n = r.reply.content.execution_count;
  expect(r.reply.content.status).toBe('ok'); // still ran
  const text = await report(r);
  const all = k.iopubFor(r.reply.parent_header.msg_id!).map((m) => m.header.msg_type);
  expect(all.indexOf('execute_result')).toBeLessThan(all.lastIndexOf('stream'));
  expect(text).toContain(`Cell [${n}] 1:19`);
  expect(text).toContain('TS2345');
  expect(text).toContain('1 | const a = area(2, "3");');
  expect(text).toMatch(/\n\s+\| {19}\^/);
});

test('a re-run cell that changes a type replaces the old declaration', async () => {
  await k.execute('type Shape = { w: number };');
  await k.execute('type Shape = { name: string };');
  const ok = await k.execute('const s: Shape = { name: "sq" };');
  const bad = await k.execute('const t: Shape = { w: 1 };');
  expect(await report(bad)).toMatch(/TS2353|TS2322/);
  // Reports come in order, so by now the correct cell would have had its report too.
  expect(k.iopubFor(ok.reply.parent_header.msg_id!).some((m) => m.header.msg_type === 'stream')).toBe(false);
});

test('strict mode blocks the run on type errors; off mode reports nothing', async () => {
  await k.execute('%typecheck strict');
  const blocked = await k.execute('globalThis.ranStrict = true;\nconst bad: number = "x";');
  expect(blocked.reply.content).toMatchObject({ status: 'error', ename: 'TypeError' });
  expect(blocked.reply.content.traceback.join('\n')).toContain('TS2322');
  const check = await k.execute('%typecheck off\n(globalThis as any).ranStrict === undefined');
  expect(check.outputs.find((m) => m.header.msg_type === 'execute_result')?.content.data['text/plain']).toBe('true');
  const off = await k.execute('const alsoBad: number = "y" as any as string as any;\nconst worse: string = 5 as unknown as string;');
  expect(off.stderr).toBe('');
  await k.execute('%typecheck warn');
});

test('completion of members of a typed value from an earlier cell, with types for JupyterLab', async () => {
  await k.execute('const label: string = "x";');
  const code = 'label.toUpp';
  const r = await k.request('shell', 'complete_request', { code, cursor_pos: code.length });
  expect(r.content.matches).toContain('toUpperCase');
  expect(r.content.cursor_start).toBe(6);
  expect(r.content.cursor_end).toBe(code.length);
  const types = r.content.metadata._jupyter_types_experimental as Array<{ text: string; type: string }>;
  expect(types.find((t) => t.text === 'toUpperCase')?.type).toBeTruthy();
});

test('completion and hover on an npm package with typings', async () => {
  await k.execute('import { greet } from "typed-pkg";');
  const code = 'gre';
  const c = await k.request('shell', 'complete_request', { code, cursor_pos: 3 });
  expect(c.content.matches).toContain('greet');
  const h = await k.request('shell', 'inspect_request', { code: 'greet("a")', cursor_pos: 2, detail_level: 0 });
  expect(h.content.found).toBe(true);
  expect(h.content.data['text/plain']).toContain('greet(name: string): string');
  expect(h.content.data['text/plain']).toContain('Greets someone politely.');
});

test('is_complete from the TypeScript parser', async () => {
  const ask = async (code: string) => (await k.request('shell', 'is_complete_request', { code })).content;
  expect((await ask('const x: number = 1;')).status).toBe('complete');
  expect(await ask('function f(a: number) {')).toMatchObject({ status: 'incomplete' });
  expect((await ask('const t = `abc ${1}')).status).toBe('incomplete');
  expect((await ask('const y = 1 +')).status).toBe('incomplete');
});

test('bad inputs: cursor past the end, empty code, a huge cell', async () => {
  expect((await k.request('shell', 'complete_request', { code: 'lab', cursor_pos: 1000 })).content.status).toBe('ok');
  expect((await k.request('shell', 'inspect_request', { code: '', cursor_pos: 0 })).content.status).toBe('ok');
  const huge = Array.from({ length: 20000 }, (_, i) => `const v${i}: number = ${i};`).join('\n');
  const r = await k.execute(huge + '\nv19999');
  expect(r.reply.content.status).toBe('ok');
});
