// attachTarget {pid} against a real http server started without any debugger flags (only
// --inspect-port=0 so SIGUSR1 opens the inspector on a free port, not a shared 9229): the
// inspector opens briefly, the agent is injected and dials back, the inspector port is closed
// again; the DAP flow on the server's thread; detachTarget: the server keeps serving and its
// inspector port stays closed.
jest.setTimeout(60000);

import { DapClient } from '../../helpers/dapClient';
import { KernelClient } from '../../helpers/kernelClient';
import { probePort, setServerBreakpoint, startServer, stopAndInspect, writeServer, type Server } from './serverHelpers';

let kc: KernelClient;
let dap: DapClient;
let server: Server;

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'typescript' });
  dap = new DapClient(kc);
  await dap.start();
  server = await startServer(writeServer(), ['--inspect-port=0']);
});
// The server is shared; an attach (maybe paused) that a failing test left is not.
afterEach(async () => {
  await dap.resetAttach();
});
afterAll(async () => {
  await kc?.shutdown();
  await server?.stop();
});

test('attach by pid, stop in the handler, inspect, detach; the inspector port is closed', async () => {
  const pid = server.child.pid!;
  const from = dap.mark();
  const t0 = performance.now();
  const body = await dap.ok<{ target: { threadId: number; name: string; pid: number; via: string }; inspectorClosed: boolean; elapsedMs: number }>('attachTarget', { pid });
  const attachMs = performance.now() - t0;
  expect(body.target).toMatchObject({ pid, via: 'pid', name: `server.js [pid ${pid}] @ localhost` });
  expect(body.inspectorClosed).toBe(true);
  const threadId = body.target.threadId;
  expect(threadId).toBeGreaterThanOrEqual(2);
  await dap.waitEvent('attachedTarget', from, 5000, (e) => e.body?.threadId === threadId);
  const inspectorPort = Number((await server.waitStderr(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//))[1]);
  expect(await probePort(inspectorPort)).toBe('ECONNREFUSED');

  // Attaching the same pid twice is refused with a reason.
  const again = await dap.request('attachTarget', { pid });
  expect(again.success).toBe(false);
  expect(`${again.message}\n${server.stderr()}`).toMatch(/already attached/);

  await setServerBreakpoint(dap, server.file);
  const { hitMs } = await stopAndInspect(dap, server, threadId, '/by-pid?z=3');
  console.log(`by pid: attachTarget ${attachMs.toFixed(0)} ms (kernel side ${body.elapsedMs} ms); HTTP request -> stopped ${hitMs.toFixed(0)} ms`);

  // Detach while paused: the pending request is answered (breakpoints removed, resumed).
  const fromStop = dap.mark();
  const pending = server.get('/paused-at-detach', 10000);
  await dap.waitEvent('stopped', fromStop, 15000, (e) => e.body?.threadId === threadId);
  const fromDetach = dap.mark();
  await dap.ok('detachTarget', { threadId });
  expect(await pending).toBe(`hello /paused-at-detach from ${pid}`);
  await dap.waitEvent('thread', fromDetach, 5000, (e) => e.body?.threadId === threadId && e.body?.reason === 'exited');
  expect(await server.get('/after', 5000)).toBe(`hello /after from ${pid}`);
  expect(await probePort(inspectorPort)).toBe('ECONNREFUSED');
  const list = await dap.ok<{ attached: unknown[] }>('listTargets', { scanProcesses: false, ports: [] });
  expect(list.attached).toEqual([]);
});

test('a pid that is not a Node process is refused with a reason', async () => {
  const r = await dap.request('attachTarget', { pid: 1 });
  expect(r.success).toBe(false);
  expect(r.message).toMatch(/cannot attach to pid 1/);
});
