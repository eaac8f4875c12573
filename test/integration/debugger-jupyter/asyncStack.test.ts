// Async parent frames in the call stack: stopped inside an async function resumed after an
// `await`, stackTrace shows the function, then an "[async …]" label and the awaiting caller and
// the cell (mapped to Cell paths and lines like the synchronous frames). Those frames have no
// scopes; evaluating with one of them runs globally; stepping and continue are unaffected.
jest.setTimeout(60000);

import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapClient } from '../../helpers/dapClient';
import { KernelClient } from '../../helpers/kernelClient';

const CELL = [
  'async function inner(x: number) {',
  '  await null;',
  '  const y = x * 2;', // 3 <- breakpoint
  '  return y;',
  '}',
  'async function outer() {',
  '  const r = await inner(21);', // 7
  '  return r + 0;',
  '}',
  'var answer = await outer();', // 10
  'answer',
].join('\n');

let kc: KernelClient;
let dap: DapClient;

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'typescript' });
  dap = new DapClient(kc);
  await dap.start('typescript');
});
afterAll(async () => {
  await kc?.shutdown();
});

test('stopped after an await: the awaiting callers follow as async frames', async () => {
  const { path } = await dap.setCellBreakpoints(CELL, [3]);
  const from = dap.mark();
  const exec = kc.run(CELL);
  await dap.waitEvent('stopped', from, 15000, (e) => e.body?.threadId === 1);
  const { stackFrames } = await dap.ok<{ stackFrames: DebugProtocol.StackFrame[]; totalFrames: number }>('stackTrace', { threadId: 1 });
  expect(stackFrames[0]).toMatchObject({ name: 'inner', line: 3, source: { path } });
  const label = stackFrames.findIndex((f) => f.presentationHint === 'label');
  expect(label).toBeGreaterThan(0);
  expect(stackFrames[label].name).toMatch(/^\[async /);
  const asyncFrames = stackFrames.slice(label).filter((f) => f.presentationHint !== 'label');
  expect(asyncFrames.map((f) => [f.name, f.line, f.source?.path])).toEqual(expect.arrayContaining([['outer', 7, path]]));
  // The cell's top level appears once (the REPL wrapper's call site is folded into it).
  expect(asyncFrames.filter((f) => f.name === '<cell>').map((f) => f.line)).toEqual([10]);

  const outer = asyncFrames.find((f) => f.name === 'outer')!;
  expect((await dap.ok<{ scopes: unknown[] }>('scopes', { frameId: outer.id })).scopes).toEqual([]);
  expect((await dap.ok<{ result: string }>('evaluate', { expression: 'typeof outer', frameId: outer.id, context: 'repl' })).result).toBe("'function'");
  // The real frame still has its locals.
  const { vars } = await dap.inspectStop();
  expect(vars.Locals.map((v) => v.name)).toContain('x');

  await dap.ok('continue', { threadId: 1 });
  const r = await kc.finish(exec);
  expect(r.content.status).toBe('ok');
  await dap.ok('setBreakpoints', { source: { path }, breakpoints: [] });
});
