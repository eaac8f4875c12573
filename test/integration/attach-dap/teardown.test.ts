// Detaching never kills the debugged process: the short version of bench/stress-detach.mjs. Real
// servers paused at a breakpoint on a real HTTP request, then released, several cycles of each:
// agent + %detach (one process, re-attached with a new token each cycle: its parked agent worker
// is reused), agent + kernel SIGKILL (a new kernel each cycle, the same server), by pid + %detach,
// by port + %detach, and runner restarts (process.exit() evaluated while paused) with the
// debugger on. Every cycle: the paused request completes, a new one is served within 1 s, and the
// process is still alive after the window in which the old teardown aborted it (30–170 ms).
jest.setTimeout(300000);

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DapClient } from '../../helpers/dapClient';
import { KernelClient, ROOT, withTimeout } from '../../helpers/kernelClient';
import { CRASH_WINDOW_MS, endedWithin, STRESS_BP_LINE, writeStressServer } from '../../fixtures/stressServer.cjs';
import { attachedThread, setServerBreakpoint, startServer, type Server } from './serverHelpers';

const CYCLES = Number(process.env.TSK_TEARDOWN_CYCLES ?? 6);
const AGENT_JS = path.join(ROOT, 'kernel', 'dist', 'agent', 'remote.js');

// Each test starts its own kernels and servers; they end with the test, so one that fails
// leaves nothing running (paused or attached) for the next.
const servers: Server[] = [];
const kernels: KernelClient[] = [];
afterEach(async () => {
  await Promise.all(kernels.splice(0).map((k) => k.shutdown()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function newKernel(): Promise<{ kc: KernelClient; dap: DapClient }> {
  const kc = await KernelClient.start({ language: 'typescript' });
  kernels.push(kc);
  const dap = new DapClient(kc);
  await dap.start();
  return { kc, dap };
}

async function stressServer(nodeArgs: string[] = [], env: Record<string, string> = {}): Promise<Server> {
  const s = await startServer(writeStressServer(fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-teardown-'))), nodeArgs, { TSK_AGENT_JS: AGENT_JS, ...env });
  servers.push(s);
  return s;
}

/** How the process ended, with its stderr, if it did within the crash window (a crash that must not come). */
async function diedAfterRelease(server: Server): Promise<string | undefined> {
  const how = await endedWithin(server.child, CRASH_WINDOW_MS);
  return how && `${how}; stderr:\n${server.stderr().slice(-2000)}`;
}

/** A token from the kernel's attach listener (the DAP request %listen sends). */
async function listenToken(dap: DapClient): Promise<string> {
  const body = await dap.ok<{ token: string }>('listen', {});
  return body.token;
}

/** The server attaches itself with `token` (a set_trace-style call); the kernel takes it with %attach. */
async function attachFromInside(kc: KernelClient, dap: DapClient, server: Server, token: string): Promise<number> {
  const from = dap.mark();
  expect(await server.get(`/attach?t=${encodeURIComponent(token)}`, 10000)).toBe('attached');
  await dap.waitEvent('agentWaiting', from, 10000, (e) => e.body?.pid === server.child.pid);
  return attachedThread((await kc.execute('%attach')).stdout);
}

/**
 * One cycle: breakpoint in the handler, a real request stops there, `release` (detach, kill the
 * kernel…) while paused; then the paused request completes, a new one is served within 1 s and
 * the process outlives the crash window.
 */
async function pausedCycle(dap: DapClient, server: Server, threadId: number, cycle: number, release: () => Promise<void>): Promise<void> {
  const bps = await setServerBreakpoint(dap, server.file, [STRESS_BP_LINE]);
  expect(bps[0].verified).toBe(true);
  const from = dap.mark();
  const pending = server.get(`/paused/${cycle}`, 15000);
  await dap.waitEvent('stopped', from, 15000, (e) => e.body?.threadId === threadId);
  await release();
  expect(await withTimeout(pending, 10000, 'the paused request')).toBe(`hello /paused/${cycle} from ${server.child.pid}`);
  expect(await server.get(`/after/${cycle}`, 1000)).toBe(`hello /after/${cycle} from ${server.child.pid}`);
  expect(await diedAfterRelease(server)).toBeUndefined();
}

describe('a server paused at a breakpoint survives being released', () => {
  test(`agent + %detach while paused, ${CYCLES} cycles in one process (the parked agent worker is reused)`, async () => {
    const { kc, dap } = await newKernel();
    // The first attach the documented way (--import + TSKERNEL_ATTACH_TOKEN), the rest from inside.
    const listen = await dap.ok<{ token: string; commands: { import: string } }>('listen', {});
    const register = /--import (\S+) app\.js/.exec(listen.commands.import)![1];
    const from = dap.mark();
    const server = await stressServer(['--import', register], { TSKERNEL_ATTACH_TOKEN: listen.token });
    await dap.waitEvent('agentWaiting', from, 15000, (e) => e.body?.pid === server.child.pid);
    let threadId = attachedThread((await kc.execute('%attach')).stdout);
    const threads = (): number => fs.readdirSync(`/proc/${server.child.pid}/task`).length;
    let threadsAfterFirst = 0;
    for (let i = 0; i < CYCLES; i++) {
      if (i > 0) threadId = await attachFromInside(kc, dap, server, await listenToken(dap));
      if (i === 1) threadsAfterFirst = threads();
      await pausedCycle(dap, server, threadId, i, async () => {
        const r = await kc.execute(`%detach ${threadId}`);
        expect(r.reply.content.status).toBe('ok');
      });
    }
    // One agent worker for all the cycles: re-attaching started no new thread.
    expect(threads()).toBe(threadsAfterFirst);
    expect(server.stderr()).not.toMatch(/attach failed|agent error/);
  });

  test(`agent + kernel SIGKILL while paused, ${CYCLES} cycles (a new kernel each, the same server)`, async () => {
    const server = await stressServer();
    for (let i = 0; i < CYCLES; i++) {
      const { kc, dap } = await newKernel();
      const threadId = await attachFromInside(kc, dap, server, await listenToken(dap));
      await pausedCycle(dap, server, threadId, i, async () => {
        kc.proc.kill('SIGKILL');
      });
    }
  });

  test(`by pid + %detach while paused, ${CYCLES} cycles in one process`, async () => {
    const { kc, dap } = await newKernel();
    // --inspect-port=0: SIGUSR1 opens the inspector on a free port. On Node's default 9229 the
    // attach fails ("its inspector did not open … port (9229) is taken by another process") whenever
    // anything else on the machine holds that port, e.g. another test run's or the bench's by-pid
    // attach: the failure "%attach printed no thread" this test once had, reproduced by holding 9229.
    const server = await stressServer(['--inspect-port=0']);
    for (let i = 0; i < CYCLES; i++) {
      const threadId = attachedThread(await kc.execute(`%attach --pid ${server.child.pid}`));
      await pausedCycle(dap, server, threadId, i, async () => {
        expect((await kc.execute(`%detach ${threadId}`)).reply.content.status).toBe('ok');
      });
    }
  });

  test(`by port + %detach while paused, ${CYCLES} cycles in one process`, async () => {
    const { kc, dap } = await newKernel();
    const server = await stressServer(['--inspect=127.0.0.1:0']);
    const port = Number((await server.waitStderr(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//))[1]);
    for (let i = 0; i < CYCLES; i++) {
      const threadId = attachedThread((await kc.execute(`%attach ${port}`)).stdout);
      await pausedCycle(dap, server, threadId, i, async () => {
        expect((await kc.execute(`%detach ${threadId}`)).reply.content.status).toBe('ok');
      });
    }
  });
});

test('the agent keeps nothing alive: a program whose work is done exits by itself, after a detach and while attached', async () => {
  const { kc, dap } = await newKernel();
  const exitOf = (server: Server): Promise<string> =>
    new Promise((resolve) => {
      if (server.child.exitCode !== null || server.child.signalCode !== null) resolve(`${server.child.exitCode}/${server.child.signalCode}`);
      else server.child.once('exit', (code, signal) => resolve(`${code}/${signal}`));
    });

  // After a detach: the parked agent worker does not hold the process.
  const detached = await stressServer();
  const threadId = await attachFromInside(kc, dap, detached, await listenToken(dap));
  await pausedCycle(dap, detached, threadId, 0, async () => {
    expect((await kc.execute(`%detach ${threadId}`)).reply.content.status).toBe('ok');
  });
  expect(await detached.get('/quit', 2000)).toBe('bye');
  expect(await withTimeout(exitOf(detached), 5000, 'a detached program to exit by itself')).toBe('0/null');

  // While attached (breakpoint set, not paused): it exits normally, the notebook hears the target went.
  const attached = await stressServer();
  const thread2 = await attachFromInside(kc, dap, attached, await listenToken(dap));
  await setServerBreakpoint(dap, attached.file, [STRESS_BP_LINE]);
  const from = dap.mark();
  expect(await attached.get('/quit', 2000)).toBe('bye');
  expect(await withTimeout(exitOf(attached), 5000, 'an attached program to exit by itself')).toBe('0/null');
  await dap.waitEvent('detachedTarget', from, 10000, (e) => e.body?.threadId === thread2);
});

test(`runner restarts with the debugger on: process.exit() evaluated while paused, ${CYCLES} cycles`, async () => {
  const { kc, dap } = await newKernel();
  const code = ['function work(n: number) {', '  const doubled = n * 2;', '  return doubled;', '}', 'work(21);'].join('\n');
  for (let i = 0; i < CYCLES; i++) {
    // Set each cycle the way JupyterLab does; the same cell maps to the same file every time.
    const { breakpoints } = await dap.setCellBreakpoints(code, [2]);
    expect(breakpoints[0].verified).toBe(true);
    const from = dap.mark();
    const run = kc.run(code);
    const stopped = await dap.waitEvent('stopped', from, 15000, (e) => e.body?.threadId === 1);
    expect(stopped.body.reason).toBe('breakpoint');
    const { stackFrames } = await dap.ok<{ stackFrames: { id: number }[] }>('stackTrace', { threadId: 1 });
    // The runner ends itself while paused, with the agent's session attached and a breakpoint set.
    void dap.request('evaluate', { expression: 'process.exit(7)', frameId: stackFrames[0].id, context: 'repl' });
    const reply = await withTimeout(run.reply, 10000, 'the paused cell');
    expect(reply.content.status).toBe('error');
    const said = `${String(reply.content.ename)} ${String(reply.content.evalue)}`;
    expect(said).toMatch(/exited with code 7/);
    expect(said).not.toMatch(/SIG[A-Z]+/);
    await kc.waitIdle(run.msgId);
    const t0 = performance.now();
    const next = await kc.execute(`${i} + 1`);
    const ms = performance.now() - t0;
    expect(next.outputs.find((m) => m.header.msg_type === 'execute_result')?.content.data['text/plain']).toBe(String(i + 1));
    // The fresh runner's start is part of this one (its agent must be up before the cell runs).
    expect(ms).toBeLessThan(3000);
  }
});
