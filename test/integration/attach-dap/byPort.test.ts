// %attach PORT against a real http server started with --inspect=127.0.0.1:0: the DAP flow on
// the server's thread (breakpoint in its file, real request, stop, stack/variables/evaluate,
// next, continue), `threads`/`modules`/`source`, then %detach: breakpoints removed, the server
// still serves, the thread exits. On this host the kernel moves the attach to an injected agent's
// link (Node's inspector server writes with Nagle on, ~40 ms a step) and leaves the process's
// inspector port as the user had it; a process waiting for its debugger (--inspect-brk) is not moved.
jest.setTimeout(60000);

import { spawn } from 'node:child_process';
import { DapClient } from '../../helpers/dapClient';
import { KernelClient, withTimeout } from '../../helpers/kernelClient';
import { attachedThread, BP_LINE, probePort, ServerScope, setServerBreakpoint, startServer, stopAndInspect, writeServer, type Server } from './serverHelpers';

let kc: KernelClient;
let dap: DapClient;
let server: Server;

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'typescript' });
  dap = new DapClient(kc);
  await dap.start();
  server = await startServer(writeServer(), ['--inspect=127.0.0.1:0']);
});
/** Servers of one test only (the shared `server` lives for the file). */
const own = new ServerScope();
// Whatever a test attached (maybe paused) is detached, and its own servers stopped, even when it failed.
afterEach(async () => {
  await dap.resetAttach();
  await own.stopAll();
});
afterAll(async () => {
  await kc?.shutdown();
  await server?.stop();
});

test('attach by port, stop in the handler, inspect, step, continue, detach', async () => {
  const inspectPort = Number((await server.waitStderr(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//))[1]);
  const from = dap.mark();
  const t0 = performance.now();
  const r = await kc.execute(`%attach ${inspectPort}`);
  const attachMs = performance.now() - t0;
  expect(r.reply.content.status).toBe('ok');
  const threadId = attachedThread(r.stdout);
  expect(threadId).toBeGreaterThanOrEqual(2);
  expect(r.stdout).toContain(`server.js [pid ${server.child.pid}] @ localhost (via port)`);
  await dap.waitEvent('thread', from, 5000, (e) => e.body?.threadId === threadId && e.body?.reason === 'started');

  const { threads } = await dap.ok<{ threads: { id: number; name: string }[] }>('threads');
  expect(threads.map((t) => t.id)).toEqual([1, threadId]);
  expect(threads[1].name).toBe(`server.js [pid ${server.child.pid}] @ localhost`);

  const bps = await setServerBreakpoint(dap, server.file);
  expect(bps[0]).toMatchObject({ verified: true, line: BP_LINE });
  const { hitMs } = await stopAndInspect(dap, server, threadId, '/by-port?x=1');
  console.log(`by port: %attach cell ${attachMs.toFixed(0)} ms; HTTP request -> stopped ${hitMs.toFixed(0)} ms`);

  // The server's file is a module of the attached process, and its source is served.
  const mods = await dap.ok<{ modules: { path: string }[] }>('modules', {});
  expect(mods.modules.map((m) => m.path)).toContain(server.file);
  const src = await dap.ok<{ content: string }>('source', { source: { path: server.file } });
  expect(src.content).toContain('function handle(req, res)');

  const targets = await kc.execute('%targets');
  expect(targets.stdout).toContain(`thread ${threadId}: server.js`);

  const fromDetach = dap.mark();
  const d = await kc.execute(`%detach ${threadId}`);
  expect(d.stdout).toContain(`Detached thread ${threadId}`);
  await dap.waitEvent('thread', fromDetach, 5000, (e) => e.body?.threadId === threadId && e.body?.reason === 'exited');
  // The breakpoint is gone from the target: the next request is answered without a stop.
  expect(await server.get('/after-detach', 5000)).toBe(`hello /after-detach from ${server.child.pid}`);
  expect(
    dap
      .events()
      .slice(fromDetach)
      .some((e) => e.event === 'stopped'),
  ).toBe(false);
  const after = await dap.ok<{ threads: { id: number }[] }>('threads');
  expect(after.threads.map((t) => t.id)).toEqual([1]);
});

test('a bad port is a readable error, not a hang', async () => {
  const r = await kc.execute('%attach 1');
  expect(r.reply.content.status).toBe('error');
  expect(JSON.stringify(r.outputs.map((o) => o.content))).toMatch(/no inspector on 127\.0\.0\.1:1|connection refused/);
});

test('an attached process that exits: thread exited, detachedTarget, and a line in the notebook', async () => {
  const gone = await own.start(writeServer(), ['--inspect=127.0.0.1:0']);
  const inspectPort = Number((await gone.waitStderr(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//))[1]);
  const threadId = attachedThread((await kc.execute(`%attach ${inspectPort}`)).stdout);
  const from = dap.mark();
  // A cell is running when it goes: the message lands under it.
  const running = kc.execute('await new Promise((r) => setTimeout(r, 200)); "done"');
  await gone.stop();
  await dap.waitEvent('thread', from, 10000, (e) => e.body?.threadId === threadId && e.body?.reason === 'exited');
  const detached = await dap.waitEvent('detachedTarget', from, 10000, (e) => e.body?.threadId === threadId);
  expect(detached.body.reason).toMatch(/closed|exited/);
  const line = await kc.waitIopub((m) => m.header.msg_type === 'stream' && String(m.content.text).startsWith(`[thread ${threadId}] detached: `), 10000, 'the notebook message');
  expect(line.content.name).toBe('stderr');
  expect((await running).reply.content.status).toBe('ok');
});

test('on this host the attach moves to an agent link; the inspector port stays open through %detach and a second %attach', async () => {
  const s = await own.start(writeServer(), ['--inspect=127.0.0.1:0']);
  const inspectPort = Number((await s.waitStderr(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//))[1]);
  for (let round = 1; round <= 2; round++) {
    const threadId = attachedThread((await kc.execute(`%attach ${inspectPort}`)).stdout);
    const attached = new RegExp(`(\\[tskernel agent\\] attached to the notebook \\(by port\\)[\\s\\S]*){${round}}`);
    await s.waitStderr(attached, 10000);
    expect(await probePort(inspectPort)).toBe('open');
    const bps = await setServerBreakpoint(dap, s.file);
    expect(bps[0]).toMatchObject({ verified: true, line: BP_LINE });
    await stopAndInspect(dap, s, threadId, `/moved-${round}`);
    await dap.ok('setBreakpoints', { source: { path: s.file }, breakpoints: [] });
    const d = await kc.execute(`%detach ${threadId}`);
    expect(d.stdout).toContain(`Detached thread ${threadId}`);
    await s.waitStderr(new RegExp(`(\\[tskernel agent\\] detached: [\\s\\S]*){${round}}`), 10000);
    expect(await probePort(inspectPort)).toBe('open');
    expect(await s.get(`/after-detach-${round}`, 5000)).toBe(`hello /after-detach-${round} from ${s.child.pid}`);
  }
});

test('a process waiting for its debugger (--inspect-brk) stays on the inspector WebSocket: it stops on its first line, then runs', async () => {
  const child = spawn(process.execPath, ['--inspect-brk=127.0.0.1:0', writeServer()], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const waitFor = (read: () => string, stream: NodeJS.ReadableStream, re: RegExp, what: string): Promise<RegExpMatchArray> =>
    withTimeout(
      new Promise<RegExpMatchArray>((resolve) => {
        const check = (): void => {
          const m = re.exec(read());
          if (m) {
            stream.off('data', check);
            resolve(m);
          }
        };
        stream.on('data', check);
        check();
      }),
      15000,
      what,
    );
  try {
    const inspectPort = Number((await waitFor(() => err, child.stderr, /Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//, 'the inspector'))[1]);
    const from = dap.mark();
    const r = await kc.execute(`%attach ${inspectPort}`);
    expect(r.reply.content.status).toBe('ok');
    const threadId = attachedThread(r.stdout);
    // Let go by the attach (Runtime.runIfWaitingForDebugger), it breaks on its first line.
    await dap.waitEvent('stopped', from, 10000, (e) => e.body?.threadId === threadId);
    await dap.ok('continue', { threadId });
    await waitFor(() => out, child.stdout, /HTTP_PORT (\d+)/, 'the server to start');
    expect(err).not.toContain('[tskernel agent]');
    await kc.execute(`%detach ${threadId}`);
  } finally {
    child.kill('SIGKILL');
  }
});
