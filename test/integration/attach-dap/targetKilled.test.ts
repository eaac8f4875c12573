// An attached process that dies (SIGKILL, from outside) while the notebook's debugger has it
// stopped at a breakpoint, several times over: its thread is reported exited, requests naming it
// get error replies, the notebook keeps debugging its own cells, and the next process attaches.
jest.setTimeout(120000);

import type { DebugProtocol } from '@vscode/debugprotocol';
import { attachSuite, setServerBreakpoint, writeServer } from './serverHelpers';

const CYCLES = 4;
const suite = attachSuite();

test(`a target killed while stopped at a breakpoint, ${CYCLES} times; the notebook debugs on`, async () => {
  const { kc, dap, servers } = suite;
  const file = writeServer();
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const server = await servers.start(file, ['--inspect-port=0']);
    const { target } = await dap.ok<{ target: { threadId: number } }>('attachTarget', { pid: server.child.pid });
    const threadId = target.threadId;
    await setServerBreakpoint(dap, file);
    const from = dap.mark();
    const pending = server.get(`/killed/${cycle}`).catch((e: Error) => e.message);
    await dap.waitEvent('stopped', from, 15000, (e) => e.body?.threadId === threadId);
    const fromKill = dap.mark();
    await server.stop();
    await dap.waitEvent('thread', fromKill, 10000, (e) => e.body?.threadId === threadId && e.body?.reason === 'exited');
    expect(await pending).toMatch(/socket hang up|ECONNRESET/);
    const st = await dap.request('stackTrace', { threadId });
    expect(st.success).toBe(false);
    const threads = await dap.ok<{ threads: DebugProtocol.Thread[] }>('threads', {});
    expect(threads.threads.map((t) => t.id)).not.toContain(threadId);
    await setServerBreakpoint(dap, file, []);
  }
  // The notebook's own debugging still works: a breakpoint in a cell stops it.
  const code = 'function f(n: number) {\n  const m = n * 2;\n  return m;\n}\nf(21)';
  const { sourcePath } = await dap.ok<{ sourcePath: string }>('dumpCell', { code });
  await dap.ok('setBreakpoints', { source: { path: sourcePath }, breakpoints: [{ line: 2 }], sourceModified: false });
  const from = dap.mark();
  const run = kc.execute(code);
  await dap.waitEvent('stopped', from, 15000, (e) => e.body?.threadId === 1);
  await dap.ok('setBreakpoints', { source: { path: sourcePath }, breakpoints: [], sourceModified: false });
  await dap.ok('continue', { threadId: 1 });
  const done = await run;
  expect(done.reply.content.status).toBe('ok');
  expect(JSON.stringify(done.outputs.map((m) => m.content))).toContain('42');
});
