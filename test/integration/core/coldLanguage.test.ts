// Completion and hover right after start, while the language service is still loading (it starts
// in the background after the first kernel_info): they wait for the full program instead of
// answering `any` or nothing. Each test uses a fresh kernel so the service is cold.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KernelClient } from '../../helpers/kernelClient';

jest.setTimeout(60000);

let k: KernelClient | undefined;
afterEach(async () => {
  await k?.shutdown();
  k = undefined;
});

const fresh = async () => (k = await KernelClient.start({ cwd: fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-cold-')) }));

test('hover on a typed function defined in the first cell shows its signature, not any', async () => {
  const c = await fresh();
  const r = await c.execute('function twice(n: number): number { return n * 2; }');
  expect(r.reply.content.status).toBe('ok');
  const h = await c.request('shell', 'inspect_request', { code: 'twice(2)', cursor_pos: 2, detail_level: 0 });
  expect(h.content.found).toBe(true);
  expect(h.content.data['text/plain']).toContain('function twice(n: number): number');
  expect(h.content.data['text/plain']).not.toMatch(/twice: any/);
});

test('the first completion after start knows the Node typings: import { readF| } from "node:fs"', async () => {
  const c = await fresh();
  const code = "import { readF } from 'node:fs'";
  const r = await c.request('shell', 'complete_request', { code, cursor_pos: code.indexOf(' }') });
  expect(r.content.status).toBe('ok');
  expect(r.content.matches).toEqual(expect.arrayContaining(['readFile', 'readFileSync']));
  expect(r.content.cursor_start).toBe(code.indexOf('readF'));
});

test('is_complete answers trivial and open cells before the language service is warm', async () => {
  const c = await fresh();
  const ask = async (code: string) => (await c.request('shell', 'is_complete_request', { code })).content;
  expect(await ask('1 + 1')).toEqual({ status: 'complete' });
  expect(await ask('console.log(x)')).toEqual({ status: 'complete' });
  expect(await ask('function g() {\n  if (x) {')).toMatchObject({ status: 'incomplete', indent: '    ' });
  // Not trivial (a statement keyword): the parser decides, once it is there.
  expect(await ask('if (x)')).toMatchObject({ status: 'incomplete' });
});
