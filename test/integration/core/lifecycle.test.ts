// Nothing outlives the kernel, and nothing a cell started outlives the kernel or its runner: a
// real parent process that dies (the kernel's own parent, or the JPY_PARENT_PID process), SIGTERM
// and SIGHUP (orderly shutdown) versus SIGINT (interrupt), a SIGKILLed kernel with its runner
// spinning, and cells' child processes on shutdown and on runner restarts, with the note the
// user sees. Every wait polls for the condition with a bounded deadline.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseStat } from '../../../kernel/src/runtime/processGroup';
import { DapClient } from '../../helpers/dapClient';
import { freePort, KERNEL_MAIN, KernelClient, withTimeout } from '../../helpers/kernelClient';
import { attachedThread, setServerBreakpoint, startServer, writeServer, type Server } from '../attach-dap/serverHelpers';

jest.setTimeout(60000);

/** The requirement: gone within 2 s. The margin absorbs a loaded 2-core test machine. */
const GONE_WITHIN_MS = 2000;
const MARGIN_MS = 1000;

function stat(pid: number): ReturnType<typeof parseStat> {
  try {
    return parseStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Running (a zombie has exited: only its parent has not collected it yet). */
function alive(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s.state !== 'Z';
}

async function until<T>(probe: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves with how long it took until none of `pids` runs; fails past the deadline. */
async function goneWithin(pids: number[], timeoutMs: number, since = Date.now()): Promise<number> {
  await until(() => pids.every((p) => !alive(p)), timeoutMs, `pids ${pids.join(', ')} to be gone (still: ${pids.filter(alive).join(', ')})`);
  return Date.now() - since;
}

/** The kernel's runner: its child running runner/main.js. */
function runnerOf(kernelPid: number): number | undefined {
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s?.ppid !== kernelPid) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(path.join('runner', 'main.js'))) return s.pid;
    } catch {
      /* gone */
    }
  }
  return undefined;
}

/** A connection file on free loopback ports, like a Jupyter client writes. */
async function connectionFile(dir: string): Promise<string> {
  const ports: Record<string, number> = {};
  for (const n of ['shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port']) ports[n] = await freePort();
  const file = path.join(dir, 'kernel.json');
  fs.writeFileSync(file, JSON.stringify({ ...ports, ip: '127.0.0.1', transport: 'tcp', key: 'k', signature_scheme: 'hmac-sha256', kernel_name: 'typescript' }), { mode: 0o600 });
  return file;
}

/**
 * A parent like `jupyter console`: starts the kernel with the kernelspec's command line (stdio
 * to a log file), prints the kernel's pid, then just stays alive until it is killed.
 */
const PARENT_JS = `
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const [main, conn, logFile] = process.argv.slice(1);
const env = { ...process.env };
delete env.JPY_PARENT_PID;
const log = fs.openSync(logFile, 'a');
const k = spawn(process.execPath, [main, 'kernel', '-f', conn, '--language', 'typescript'], { env, stdio: ['ignore', log, log] });
console.log('KERNEL_PID ' + k.pid);
setInterval(() => {}, 1e6);
`;

interface Parented {
  parent: ChildProcess;
  kernelPid: number;
  runnerPid: number;
  log(): string;
}

async function kernelUnderParent(): Promise<Parented> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-life-'));
  const conn = await connectionFile(dir);
  const logFile = path.join(dir, 'kernel.log');
  const env: NodeJS.ProcessEnv = { ...process.env, TSKERNEL_HISTORY_FILE: path.join(dir, 'history.jsonl') };
  const parent = spawn(process.execPath, ['-e', PARENT_JS, KERNEL_MAIN, conn, logFile], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  parent.stdout.on('data', (d) => (out += d.toString()));
  const kernelPid = Number((await until(() => /KERNEL_PID (\d+)/.exec(out) ?? undefined, 10000, 'the parent to start the kernel'))[1]);
  const runnerPid = await until(() => runnerOf(kernelPid), 15000, 'the kernel to start its runner');
  return { parent, kernelPid, runnerPid, log: () => fs.readFileSync(logFile, 'utf8') };
}

const started: KernelClient[] = [];
async function startKernel(env?: Record<string, string>): Promise<KernelClient> {
  const k = await KernelClient.start(env ? { env } : {});
  started.push(k);
  return k;
}
afterAll(async () => {
  await Promise.all(started.map((k) => k.shutdown()));
});

const text = (r: Awaited<ReturnType<KernelClient['execute']>>): string => r.outputs.find((m) => m.header.msg_type === 'execute_result')?.content.data['text/plain'] ?? '';

async function runnerPid(k: KernelClient): Promise<number> {
  return Number(text(await k.execute('process.pid')));
}

/** A cell starts `sleep 300` the ordinary way (same process group as the runner); its pid. */
async function startSleep(k: KernelClient): Promise<number> {
  const r = await k.execute("const child = require('child_process').spawn('sleep', ['300'], { stdio: 'ignore' }); child.pid");
  const pid = Number(text(r));
  expect(alive(pid)).toBe(true);
  return pid;
}

const exitOf = (k: KernelClient): Promise<{ code: number | null; signal: string | null }> =>
  k.proc.exitCode !== null || k.proc.signalCode !== null
    ? Promise.resolve({ code: k.proc.exitCode, signal: k.proc.signalCode })
    : new Promise((r) => k.proc.once('exit', (code, signal) => r({ code, signal })));

describe('the kernel exits when the process that started it dies', () => {
  test('its own parent (no JPY_PARENT_PID) is SIGKILLed: kernel, runner and the cells’ processes are gone within 2 s', async () => {
    const p = await kernelUnderParent();
    const killedAt = Date.now();
    p.parent.kill('SIGKILL');
    const took = await goneWithin([p.kernelPid, p.runnerPid], GONE_WITHIN_MS + MARGIN_MS, killedAt);
    // The orderly path ran (not the runner's watchdog alone): the kernel said why it went.
    expect(p.log()).toMatch(/shutting down: parent process \d+ exited/);
    console.log(`parent SIGKILLed -> kernel and runner gone in ${took} ms`);
  });

  test('the JPY_PARENT_PID process (not our parent) dies: kernel and runner are gone within 2 s', async () => {
    const sentinel = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
    const k = await startKernel({ JPY_PARENT_PID: String(sentinel.pid) });
    const runner = await runnerPid(k);
    const kernelExit = exitOf(k);
    const killedAt = Date.now();
    sentinel.kill('SIGKILL');
    const took = await goneWithin([k.proc.pid!, runner], GONE_WITHIN_MS + MARGIN_MS, killedAt);
    expect(await kernelExit).toEqual({ code: 0, signal: null });
    expect(k.stderr).toMatch(new RegExp(`shutting down: parent process ${sentinel.pid} exited`));
    console.log(`JPY_PARENT_PID process SIGKILLed -> kernel and runner gone in ${took} ms`);
  });

  test('a live JPY_PARENT_PID process keeps the kernel running', async () => {
    const sentinel = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
    try {
      const k = await startKernel({ JPY_PARENT_PID: String(sentinel.pid) });
      // Several poll periods pass while cells run: still there, still answering.
      for (let i = 0; i < 4; i++) expect(text(await k.execute(`await new Promise((r) => setTimeout(r, 250)); ${i}`))).toBe(String(i));
      expect(alive(k.proc.pid!)).toBe(true);
    } finally {
      sentinel.kill('SIGKILL');
    }
  });
});

describe('signals', () => {
  test.each(['SIGTERM', 'SIGHUP'] as const)('%s shuts the kernel down in order: kernel, runner and cells’ processes gone', async (signal) => {
    const k = await startKernel();
    const sleep = await startSleep(k);
    const runner = await runnerPid(k);
    const kernelExit = exitOf(k);
    const sentAt = Date.now();
    k.proc.kill(signal);
    const took = await goneWithin([k.proc.pid!, runner, sleep], GONE_WITHIN_MS + MARGIN_MS, sentAt);
    expect(await kernelExit).toEqual({ code: 0, signal: null });
    expect(k.stderr).toContain(`shutting down: ${signal}`);
    expect(k.stderr).toMatch(new RegExp(`ended 1 process started by cells: sleep 300 \\(pid ${sleep}\\)`));
    console.log(`${signal} -> kernel, runner and sleep gone in ${took} ms`);
  });

  test('SIGINT still interrupts and the kernel stays', async () => {
    const k = await startKernel();
    const runner = await runnerPid(k);
    const run = k.run('for (;;) {}');
    await k.waitIopub((m) => m.header.msg_type === 'execute_input' && m.parent_header.msg_id === run.msgId);
    k.proc.kill('SIGINT');
    expect((await withTimeout(run.reply, 5000, 'interrupted reply')).content.ename).toBe('KeyboardInterrupt');
    expect(text(await k.execute('1 + 1'))).toBe('2');
    expect(await runnerPid(k)).toBe(runner);
    expect(alive(k.proc.pid!)).toBe(true);
  });
});

test('a kernel SIGKILLed while its cell spins: the runner and the cells’ processes are gone within 2 s', async () => {
  const k = await startKernel();
  const sleep = await startSleep(k);
  const runner = await runnerPid(k);
  const run = k.run('require("fs").writeSync(1, "spinning\\n"); while (true) {}');
  await k.waitIopub((m) => m.header.msg_type === 'stream' && m.parent_header.msg_id === run.msgId && m.content.text.includes('spinning'));
  const killedAt = Date.now();
  k.proc.kill('SIGKILL');
  const took = await goneWithin([runner, sleep], GONE_WITHIN_MS + MARGIN_MS, killedAt);
  console.log(`kernel SIGKILLed mid-loop -> runner and sleep gone in ${took} ms`);
});

test('an idle kernel SIGKILLed: its runner and the cells’ processes go too', async () => {
  const k = await startKernel();
  const sleep = await startSleep(k);
  const runner = await runnerPid(k);
  const killedAt = Date.now();
  k.proc.kill('SIGKILL');
  await goneWithin([runner, sleep], GONE_WITHIN_MS + MARGIN_MS, killedAt);
});

describe('processes started by cells', () => {
  test.each([false, true])('shutdown_request (restart: %s) ends them and logs what it ended', async (restart) => {
    const k = await startKernel();
    const sleep = await startSleep(k);
    const runner = await runnerPid(k);
    const kernelExit = exitOf(k);
    const reply = await k.request('control', 'shutdown_request', { restart });
    expect(reply.content).toMatchObject({ status: 'ok', restart });
    expect(await withTimeout(kernelExit, 5000, 'kernel exit')).toEqual({ code: 0, signal: null });
    await goneWithin([runner, sleep], 1000);
    expect(k.stderr).toMatch(new RegExp(`ended 1 process started by cells: sleep 300 \\(pid ${sleep}\\)`));
    expect(k.stderr).not.toMatch(/runner exited|uncaught|unhandled/i);
  });

  test('process.exit() in a cell: the runner restarts, the earlier cell’s process is ended, and the cell says so', async () => {
    const k = await startKernel();
    const sleep = await startSleep(k);
    const r = await k.execute('process.exit()');
    expect(r.reply.content.status).toBe('error');
    expect(r.stderr).toContain(`[runner restarted] ended 1 process started by earlier cells: sleep 300 (pid ${sleep})`);
    await goneWithin([sleep], 1000);
    // A fresh runner, and no note for a cell that has nothing to do with it.
    const next = await k.execute('1 + 1');
    expect(text(next)).toBe('2');
    expect(next.stderr).toBe('');
  });

  test('a runner that exits between cells: the note comes with the next cell', async () => {
    const k = await startKernel();
    const sleep = await startSleep(k);
    const runner = await runnerPid(k);
    await k.execute('setTimeout(() => process.exit(3), 50); "later"');
    await goneWithin([runner, sleep], 5000);
    const next = await k.execute('2 + 2');
    expect(text(next)).toBe('4');
    expect(next.stderr).toContain(`ended 1 process started by earlier cells: sleep 300 (pid ${sleep})`);
    expect(await runnerPid(k)).not.toBe(runner);
  });

  test('a runner restarted because an interrupt could not stop it takes its cells’ processes along', async () => {
    const k = await startKernel();
    const sleep = await startSleep(k);
    const run = k.run('await new Promise((r) => setTimeout(() => { require("fs").writeSync(1, "spinning\\n"); for (;;) {} }, 10))');
    await k.waitIopub((m) => m.header.msg_type === 'stream' && m.parent_header.msg_id === run.msgId && m.content.text.includes('spinning'));
    await k.request('control', 'interrupt_request', {});
    const reply = await withTimeout(run.reply, 10000, 'reply');
    expect(reply.content.evalue).toMatch(/restarted/i);
    await k.waitIdle(run.msgId);
    const notes = k
      .iopubFor(run.msgId)
      .filter((m) => m.header.msg_type === 'stream' && m.content.name === 'stderr')
      .map((m) => m.content.text)
      .join('');
    expect(notes).toContain(`ended 1 process started by earlier cells: sleep 300 (pid ${sleep})`);
    await goneWithin([sleep], 1000);
  });

  test('a runner restart with no cells’ processes adds no note', async () => {
    const k = await startKernel();
    const r = await k.execute('process.exit(1)');
    expect(r.reply.content.status).toBe('error');
    expect(r.stderr).not.toContain('[runner restarted]');
  });
});

describe('an attached process paused at a breakpoint is resumed and released', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  test.each(['the JPY_PARENT_PID process dies', 'SIGTERM', 'SIGHUP'] as const)('when %s', async (cause) => {
    const sentinel = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
    try {
      const k = await startKernel({ JPY_PARENT_PID: String(sentinel.pid) });
      const dap = new DapClient(k);
      await dap.start('typescript');
      const file = writeServer();
      const server = await startServer(file, ['--inspect=127.0.0.1:0']);
      servers.push(server);
      const port = Number((await server.waitStderr(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//))[1]);
      const thread = attachedThread((await k.execute(`%attach ${port}`)).stdout);
      await setServerBreakpoint(dap, file);
      const from = dap.mark();
      const pending = server.get('/paused', 20000);
      await dap.waitEvent('stopped', from, 15000, (e) => e.body?.threadId === thread);

      const kernelExit = exitOf(k);
      if (cause === 'SIGTERM' || cause === 'SIGHUP') k.proc.kill(cause);
      else sentinel.kill('SIGKILL');
      expect(await withTimeout(kernelExit, GONE_WITHIN_MS + MARGIN_MS, 'kernel exit')).toEqual({ code: 0, signal: null });
      // The paused request completes (resumed, breakpoints gone) and the server keeps serving.
      expect(await pending).toBe(`hello /paused from ${server.child.pid}`);
      expect(await server.get('/after', 5000)).toBe(`hello /after from ${server.child.pid}`);
      expect(alive(server.child.pid!)).toBe(true);
    } finally {
      sentinel.kill('SIGKILL');
    }
  });
});
