// %listen, then a real http server started with the printed `TSKERNEL_ATTACH_TOKEN=… node
// --import …/register.js` command, `agentWaiting`, %attach (takes the waiting agent): the DAP
// flow on the server's thread, the server's output as DAP `output` events, the agent's own code
// hidden from stacks; %detach: the server keeps serving. Also a bad token → `attachRejected`.
jest.setTimeout(60000);

import { spawn } from 'node:child_process';
import { DapClient } from '../../helpers/dapClient';
import { KernelClient } from '../../helpers/kernelClient';
import { attachedThread, setServerBreakpoint, startServer, stopAndInspect, writeServer, type Server } from './serverHelpers';

let kc: KernelClient;
let dap: DapClient;
let server: Server | undefined;

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'typescript' });
  dap = new DapClient(kc);
  await dap.start();
});
// A test that failed half-way leaves no agent attached or waiting, no listener and no server.
afterEach(async () => {
  await dap.resetAttach();
  await server?.stop();
  server = undefined;
});
afterAll(async () => {
  await kc?.shutdown();
});

test('%listen, start with the printed --import command, %attach, stop, inspect, detach', async () => {
  const l = await kc.execute('%listen');
  expect(l.reply.content.status).toBe('ok');
  const m = /TSKERNEL_ATTACH_TOKEN=(tsk1\.[A-Za-z0-9_-]+) node --import (\S+) app\.js/.exec(l.stdout);
  expect(m).not.toBeNull();
  const [, token, register] = m!;

  const from = dap.mark();
  const t0 = performance.now();
  server = await startServer(writeServer(), ['--import', register], { TSKERNEL_ATTACH_TOKEN: token });
  const waiting = await dap.waitEvent('agentWaiting', from, 15000);
  expect(waiting.body).toMatchObject({ pid: server.child.pid, title: 'server.js' });
  const a = await kc.execute('%attach');
  const attachMs = performance.now() - t0;
  expect(a.reply.content.status).toBe('ok');
  const threadId = attachedThread(a.stdout);
  expect(a.stdout).toContain(`server.js [pid ${server.child.pid}] @ localhost (via agent)`);

  const bps = await setServerBreakpoint(dap, server.file);
  expect(bps[0].verified).toBe(true);
  const { hitMs } = await stopAndInspect(dap, server, threadId, '/by-agent?y=2');
  console.log(`agent dial-back: server spawn -> attached ${attachMs.toFixed(0)} ms; HTTP request -> stopped ${hitMs.toFixed(0)} ms`);

  // The target's stdout reaches the notebook side as DAP output events tagged with its thread.
  await setServerBreakpoint(dap, server.file, []);
  const fromOut = dap.mark();
  expect(await server.get('/printing', 5000)).toContain('hello /printing');
  const out = await dap.waitEvent('output', fromOut, 10000, (e) => String(e.body?.output).includes('served /printing'));
  expect(out.body).toMatchObject({ category: 'stdout', threadId });
  // ...and in the notebook, as stream output tagged with the thread.
  const shown = await kc.waitIopub(
    (m) => m.header.msg_type === 'stream' && String(m.content.text).includes(`[thread ${threadId}] `) && String(m.content.text).includes('served /printing'),
    10000,
    'target output in the notebook',
  );
  expect(shown.content.name).toBe('stdout');

  const fromDetach = dap.mark();
  await kc.execute(`%detach ${threadId}`);
  const detached = await dap.waitEvent('detachedTarget', fromDetach, 10000, (e) => e.body?.threadId === threadId);
  expect(detached.body.reason).toMatch(/detached/);
  await server.waitStderr(/\[tskernel agent\] detached: /, 10000);
  expect(await server.get('/still-serving', 5000)).toBe(`hello /still-serving from ${server.child.pid}`);
});

test('an agent with a forged token is reported as attachRejected and never attached', async () => {
  const l = await kc.execute('%listen');
  const token = /TSKERNEL_ATTACH_TOKEN=(tsk1\.[A-Za-z0-9_-]+)/.exec(l.stdout)![1];
  const register = /--import (\S+) app\.js/.exec(l.stdout)![1];
  // Same listener, same id, a different secret: decode, swap the secret, re-encode.
  const payload = JSON.parse(Buffer.from(token.slice(5), 'base64url').toString()) as { s: string };
  payload.s = Buffer.alloc(32, 7).toString('base64url');
  const forged = 'tsk1.' + Buffer.from(JSON.stringify(payload)).toString('base64url');
  const from = dap.mark();
  const child = spawn(process.execPath, ['--import', register, '-e', 'setTimeout(() => {}, 20000)'], { env: { ...process.env, TSKERNEL_ATTACH_TOKEN: forged }, stdio: 'ignore' });
  try {
    const rej = await dap.waitEvent('attachRejected', from, 15000);
    expect(String(rej.body.reason)).toMatch(/auth|mac|proof|secret|token/i);
    const list = await dap.ok<{ agents: unknown[] }>('listTargets', { scanProcesses: false, ports: [] });
    expect(list.agents).toEqual([]);
  } finally {
    child.kill('SIGKILL');
  }
});
