// The main JupyterLab flow on the `javascript` kernelspec: .js cell paths, stop in a function,
// one frame at top level, Locals/Globals, next with continued+stopped, continue to the output.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapClient, varNamed } from '../../helpers/dapClient';
import { KernelClient, withTimeout } from '../../helpers/kernelClient';

jest.setTimeout(60000);

let kc: KernelClient;
let dap: DapClient;

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'javascript' });
  dap = new DapClient(kc);
});
afterAll(async () => {
  await kc?.shutdown();
});

const CELL = ['function add(a, b) {', '  const c = a + b;', '  return c;', '}', 'const total = add(2, 3);', 'console.log(total);'].join('\n');

test('javascript kernel: start, break, inspect, step, continue', async () => {
  await dap.start('javascript');
  const info = await dap.ok('debugInfo', {});
  expect(info.tmpFileSuffix).toBe('.js');
  const { path } = await dap.setCellBreakpoints(CELL, [2]);
  expect(path.endsWith('.js')).toBe(true);
  const m = dap.mark();
  const exec = kc.run(CELL);
  expect((await dap.waitEvent('stopped', m)).body).toMatchObject({ reason: 'breakpoint', threadId: 1 });
  let st = await dap.inspectStop();
  expect(st.frames.map((f) => [f.name, f.line])).toEqual([
    ['add', 2],
    [expect.any(String), 5],
  ]);
  expect(st.frames[1].name).not.toBe('');
  expect(st.frames.every((f) => f.source?.path === path)).toBe(true);
  expect(varNamed(st.vars.Locals, 'a')).toMatchObject({ value: '2', type: 'int' });
  const from = dap.mark();
  await dap.ok('next', { threadId: 1 });
  await dap.waitEvent('continued', from);
  await dap.waitEvent('stopped', from);
  st = await dap.inspectStop();
  expect(st.frames[0].line).toBe(3);
  expect(varNamed(st.vars.Locals, 'c').value).toBe('5');
  const f2 = dap.mark();
  await dap.ok('stepOut', { threadId: 1 });
  await dap.waitEvent('stopped', f2);
  const frames = (await dap.ok<{ stackFrames: DebugProtocol.StackFrame[] }>('stackTrace', { threadId: 1 })).stackFrames;
  expect(frames).toHaveLength(1);
  await dap.ok('continue', { threadId: 1 });
  const reply = await withTimeout(exec.reply, 15000, 'execute_reply');
  expect(reply.content.status).toBe('ok');
  await kc.waitIdle(exec.msgId);
  expect(
    kc
      .iopubFor(exec.msgId)
      .filter((x) => x.header.msg_type === 'stream')
      .map((x) => x.content.text)
      .join(''),
  ).toBe('5\n');
  await dap.stop();
});
