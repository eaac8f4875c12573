// Two real http servers (the same server file, two processes) attached at once, one by port and
// one by the agent: one setBreakpoints on the file applies to both (the second attached after it
// was set), each stops on its own thread while the other keeps serving (stoppedThreads lists the
// latest stop first; the all-threads flags stay false), and kernel shutdown
// detaches both: a server paused at a breakpoint is resumed and both keep running.
jest.setTimeout(60000);

import { DapClient } from '../../helpers/dapClient';
import { KernelClient } from '../../helpers/kernelClient';
import { attachedThread, setServerBreakpoint, startServer, stopAndInspect, writeServer, type Server } from './serverHelpers';

let kc: KernelClient;
let dap: DapClient;
const servers: Server[] = [];
let kernelDown = false;

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'javascript' });
  dap = new DapClient(kc);
  await dap.start('javascript');
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  if (!kernelDown) await kc?.shutdown();
});

test('two servers stop independently; kernel shutdown leaves both running', async () => {
  const file = writeServer();
  const a = await startServer(file, ['--inspect=127.0.0.1:0']);
  servers.push(a);
  const port = Number((await a.waitStderr(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//))[1]);
  const ta = attachedThread((await kc.execute(`%attach ${port}`)).stdout);
  // The breakpoint is set once, before the second server exists.
  await setServerBreakpoint(dap, file);

  const l = await kc.execute('%listen');
  const [, token, register] = /TSKERNEL_ATTACH_TOKEN=(\S+) node --import (\S+) app\.js/.exec(l.stdout)!;
  const from = dap.mark();
  const b = await startServer(file, ['--import', register], { TSKERNEL_ATTACH_TOKEN: token });
  servers.push(b);
  const waiting = await dap.waitEvent('agentWaiting', from, 15000);
  const tb = attachedThread((await kc.execute(`%attach --agent ${String(waiting.body.id)}`)).stdout);
  expect(tb).not.toBe(ta);
  const { threads } = await dap.ok<{ threads: { id: number; name: string }[] }>('threads');
  expect(threads.map((t) => t.name)).toEqual(expect.arrayContaining([`server.js [pid ${a.child.pid}] @ localhost`, `server.js [pid ${b.child.pid}] @ localhost`]));

  // A stops; B still stops on its own (and is fully inspectable) while A stays paused.
  const fromA = dap.mark();
  const pendingA = a.get('/a', 20000);
  const stoppedA = await dap.waitEvent('stopped', fromA, 15000, (e) => e.body?.threadId === ta);
  expect(stoppedA.body.allThreadsStopped).toBe(false);
  // With both paused, the most recent stop comes first (JupyterLab shows that one after a reload).
  const fromB = dap.mark();
  const pendingB = b.get('/b0', 20000);
  await dap.waitEvent('stopped', fromB, 15000, (e) => e.body?.threadId === tb);
  expect((await dap.ok<{ stoppedThreads: number[] }>('debugInfo', {})).stoppedThreads).toEqual([tb, ta]);
  expect((await dap.ok<{ allThreadsContinued: boolean }>('continue', { threadId: tb })).allThreadsContinued).toBe(false);
  expect(await pendingB).toBe(`hello /b0 from ${b.child.pid}`);
  await stopAndInspect(dap, b, tb, '/b');
  const info = await dap.ok<{ stoppedThreads: number[] }>('debugInfo', {});
  expect(info.stoppedThreads).toEqual([ta]);

  // Kernel shutdown with A paused: A is resumed (its request answered); both keep serving.
  kernelDown = true;
  await kc.shutdown();
  expect(await pendingA).toBe(`hello /a from ${a.child.pid}`);
  expect(await a.get('/a2', 5000)).toBe(`hello /a2 from ${a.child.pid}`);
  expect(await b.get('/b2', 5000)).toBe(`hello /b2 from ${b.child.pid}`);
});
