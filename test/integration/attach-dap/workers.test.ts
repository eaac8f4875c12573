// Worker threads inside an attached process are DAP threads of their own: a real http server
// that hands work to a `worker_threads` Worker. A breakpoint in the worker's file stops the worker
// thread only (the server's main thread keeps answering), its frame and variables are inspectable,
// continue delivers the response; a worker started after attaching shows up too (over the agent
// this needs the agent's Agent.workerStarted); detaching the process detaches its workers.
jest.setTimeout(60000);

import type { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DapClient, type DapEventMsg } from '../../helpers/dapClient';
import { KernelClient } from '../../helpers/kernelClient';
import { attachedThread, startServer, type Server } from './serverHelpers';

const SERVER_JS = [
  "const http = require('http');",
  "const { Worker } = require('worker_threads');",
  "const compute = new Worker(__dirname + '/worker.js', { name: 'compute' });",
  'const waiting = [];',
  "compute.on('message', (v) => waiting.shift()(v));",
  'const late = [];',
  'http.createServer((req, res) => {',
  "  const u = new URL(req.url, 'http://x');",
  "  if (u.pathname === '/work') { waiting.push((v) => res.end('result ' + v)); compute.postMessage(Number(u.searchParams.get('n'))); return; }",
  "  if (u.pathname === '/spawn') { late.push(new Worker(__dirname + '/worker.js', { name: 'late' })); res.end('spawned'); return; }",
  "  res.end('pong');",
  "}).listen(0, '127.0.0.1', function () { console.log('HTTP_PORT ' + this.address().port); });",
  '',
].join('\n');

const WORKER_JS = [
  "const { parentPort } = require('worker_threads');",
  "parentPort.on('message', (n) => {",
  '  const doubled = n * 2;', // 3 <- breakpoint
  '  parentPort.postMessage(doubled);',
  '});',
  '',
].join('\n');
const WORKER_BP = 3;

function writeProject(): { serverJs: string; workerJs: string } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-workers-')));
  fs.writeFileSync(path.join(dir, 'server.js'), SERVER_JS);
  fs.writeFileSync(path.join(dir, 'worker.js'), WORKER_JS);
  return { serverJs: path.join(dir, 'server.js'), workerJs: path.join(dir, 'worker.js') };
}

let kc: KernelClient;
let dap: DapClient;
const servers: Server[] = [];

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'javascript' });
  dap = new DapClient(kc);
  await dap.start('javascript');
});
// Each test's server and attach (maybe paused in a worker) end with it, even when it failed.
afterEach(async () => {
  await dap.resetAttach();
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await kc?.shutdown();
});

function workerEvent(parent: number, title: string): (e: DapEventMsg) => boolean {
  return (e) => e.body?.via === 'worker' && e.body?.parentThreadId === parent && String(e.body?.name).includes(title);
}

test('over the agent: stop in a worker while the main thread serves, late workers, detach', async () => {
  const { serverJs, workerJs } = writeProject();
  const l = await kc.execute('%listen');
  const [, token, register] = /TSKERNEL_ATTACH_TOKEN=(\S+) node --import (\S+) app\.js/.exec(l.stdout)!;
  let from = dap.mark();
  const server = await startServer(serverJs, ['--import', register], { TSKERNEL_ATTACH_TOKEN: token });
  servers.push(server);
  await dap.waitEvent('agentWaiting', from, 15000);
  from = dap.mark();
  const main = attachedThread((await kc.execute('%attach')).stdout);
  const compute = (await dap.waitEvent('attachedTarget', from, 10000, workerEvent(main, 'compute'))).body;
  // (worker 1 is the agent's relay, started first by --import)
  expect(compute.name).toBe(`server.js [pid ${server.child.pid}] @ localhost › [worker 2] compute`);
  expect(compute.pid).toBe(server.child.pid);
  const { threads } = await dap.ok<{ threads: { id: number; name: string }[] }>('threads');
  // The agent's own relay worker is not a thread.
  expect(threads.map((t) => t.id)).toEqual([1, main, compute.threadId]);

  const set = await dap.ok<{ breakpoints: DebugProtocol.Breakpoint[] }>('setBreakpoints', { source: { path: workerJs }, breakpoints: [{ line: WORKER_BP }] });
  expect(set.breakpoints[0]).toMatchObject({ verified: true, line: WORKER_BP });
  from = dap.mark();
  const work = server.get('/work?n=21');
  const stopped = await dap.waitEvent('stopped', from, 15000, (e) => e.body?.threadId === compute.threadId);
  expect(stopped.body).toMatchObject({ reason: 'breakpoint', allThreadsStopped: false });
  // Only the worker is paused: the server's main thread still answers.
  expect(await server.get('/ping', 5000)).toBe('pong');
  expect((await dap.ok<{ stoppedThreads: number[] }>('debugInfo', {})).stoppedThreads).toEqual([compute.threadId]);
  const { stackFrames } = await dap.ok<{ stackFrames: DebugProtocol.StackFrame[] }>('stackTrace', { threadId: compute.threadId });
  expect(stackFrames[0]).toMatchObject({ line: WORKER_BP, source: { path: workerJs } });
  const n = await dap.ok<{ result: string }>('evaluate', { expression: 'n', frameId: stackFrames[0].id, context: 'repl' });
  expect(n.result).toBe('21');
  await dap.ok('continue', { threadId: compute.threadId });
  expect(await work).toBe('result 42');

  // A worker started after attaching becomes a thread as well, with the breakpoint placed.
  from = dap.mark();
  expect(await server.get('/spawn', 5000)).toBe('spawned');
  const late = (await dap.waitEvent('attachedTarget', from, 10000, workerEvent(main, 'late'))).body;
  expect(late.threadId).toBeGreaterThan(compute.threadId);

  // Detaching the process detaches its workers; it keeps serving with no breakpoints left.
  from = dap.mark();
  await kc.execute(`%detach ${main}`);
  for (const id of [main, compute.threadId, late.threadId]) await dap.waitEvent('thread', from, 10000, (e) => e.body?.threadId === id && e.body?.reason === 'exited');
  expect(await server.get('/work?n=5', 5000)).toBe('result 10');
  expect(
    dap
      .events()
      .slice(from)
      .some((e) => e.event === 'stopped'),
  ).toBe(false);
});

test('by port: the inspector reports workers directly', async () => {
  const { serverJs, workerJs } = writeProject();
  const server = await startServer(serverJs, ['--inspect=127.0.0.1:0']);
  servers.push(server);
  const port = Number((await server.waitStderr(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//))[1]);
  let from = dap.mark();
  const main = attachedThread((await kc.execute(`%attach ${port}`)).stdout);
  const compute = (await dap.waitEvent('attachedTarget', from, 10000, workerEvent(main, 'compute'))).body;
  await dap.ok('setBreakpoints', { source: { path: workerJs }, breakpoints: [{ line: WORKER_BP }] });
  from = dap.mark();
  const work = server.get('/work?n=4');
  await dap.waitEvent('stopped', from, 15000, (e) => e.body?.threadId === compute.threadId);
  // Detaching the worker's thread alone resumes it and leaves the process attached.
  from = dap.mark();
  await kc.execute(`%detach ${compute.threadId}`);
  await dap.waitEvent('thread', from, 10000, (e) => e.body?.threadId === compute.threadId && e.body?.reason === 'exited');
  expect(await work).toBe('result 8');
  const { threads } = await dap.ok<{ threads: { id: number }[] }>('threads');
  expect(threads.map((t) => t.id)).toContain(main);
  await kc.execute(`%detach ${main}`);
  await dap.ok('setBreakpoints', { source: { path: workerJs }, breakpoints: [] });
});
