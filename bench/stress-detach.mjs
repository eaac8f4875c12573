// Detach stress benchmark over real ZeroMQ against the real kernel: a real node:http server paused
// at a breakpoint on a real request, then released, N cycles (default 50) of each kind:
//   agent-detach   agent + %detach while paused; one server, re-attached each cycle with a new token
//                  (the first cycle via `--import …/register.js`, then from inside: its parked agent
//                  worker is reused)
//   agent-kill     agent + kernel SIGKILL while paused; a new kernel each cycle, the same server
//   pid-detach     %attach --pid + %detach while paused; one server
//   port-detach    %attach PORT (--inspect) + %detach while paused; one server
//   runner-restart the notebook's runner paused at a cell breakpoint, process.exit(7) evaluated in
//                  the paused frame; the cell's reply, then the next cell
// Per cycle: the paused request completes (or, for the runner, the paused cell is answered), a new
// request is served within 1 s (the next cell, for the runner; that includes its restart), and the
// process did not die (watched for 400 ms after the release: the old teardown aborted 30–170 ms
// after the link closed; the runner must report exit code 7, not a signal). A server that died is
// replaced so the remaining cycles still count. Prints a table, writes bench/results/stress-detach.json.
//
// Usage: node bench/stress-detach.mjs [cycles] [kind,kind…]
// STRESS_AGENT_JS=/path/to/remote.js: the agent-* kinds attach with that agent build instead
// (every cycle from inside), e.g. an older build to compare.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { CRASH_WINDOW_MS, endedWithin, STRESS_BP_LINE, writeStressServer } from '../test/fixtures/stressServer.cjs';
import { BenchClient, JLAB_INIT, median, ROOT } from './client.mjs';

const KINDS = ['agent-detach', 'agent-kill', 'pid-detach', 'port-detach', 'runner-restart'];
const CYCLES = Number(process.argv[2] ?? 50);
const kinds = (process.argv[3] ?? KINDS.join(',')).split(',').filter(Boolean);
for (const k of kinds) if (!KINDS.includes(k)) throw new Error(`unknown kind ${k}; kinds: ${KINDS.join(', ')}`);
const AGENT_JS = process.env.STRESS_AGENT_JS ? path.resolve(process.env.STRESS_AGENT_JS) : path.join(ROOT, 'kernel', 'dist', 'agent', 'remote.js');
const CUSTOM_AGENT = Boolean(process.env.STRESS_AGENT_JS);
const NEXT_WITHIN_MS = 1000;
const now = () => performance.now();

// The server (the same one test/integration/attach-dap/teardown.test.ts runs), its breakpoint line,
// the crash window and the exit watch come from the shared fixture.
const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-bench-stress-')));
const SERVER = writeStressServer(dir);
const BP_LINE = STRESS_BP_LINE;

// Whatever happens, no server or kernel outlives the run.
const spawned = new Set();
const clients = new Set();
process.on('exit', () => {
  for (const p of spawned) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const c of clients) if (c.proc?.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

function timeout(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, j) => (t = setTimeout(() => j(new Error(`timed out after ${ms} ms: ${what}`)), ms)))]).finally(() => clearTimeout(t));
}

function waitText(read, stream, re, ms, what) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = re.exec(read());
      if (!m) return;
      clearTimeout(timer);
      stream.off('data', check);
      resolve(m);
    };
    const timer = setTimeout(() => (stream.off('data', check), reject(new Error(`timed out waiting for ${re} on ${what}`))), ms);
    stream.on('data', check);
    check();
  });
}

function get(port, urlPath, ms) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.setTimeout(ms, () => req.destroy(new Error(`GET ${urlPath} timed out after ${ms} ms`)));
    req.on('error', reject);
  });
}

async function startServer(nodeArgs = [], env = {}) {
  const child = spawn(process.execPath, [...nodeArgs, SERVER], { cwd: dir, env: { ...process.env, TSK_AGENT_JS: AGENT_JS, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.add(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const port = Number((await waitText(() => out, child.stdout, /HTTP_PORT (\d+)/, 15000, 'server stdout'))[1]);
  const s = { child, port, stderr: () => err, dead: () => child.exitCode !== null || child.signalCode !== null };
  // --inspect opens the inspector now (--inspect-port only picks the port SIGUSR1 will open).
  if (nodeArgs.some((a) => a === '--inspect' || a.startsWith('--inspect=')))
    s.inspectPort = Number((await waitText(() => err, child.stderr, /Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//, 15000, 'server stderr'))[1]);
  return s;
}

async function newKernel() {
  const c = new BenchClient();
  clients.add(c);
  await c.start('typescript');
  await c.debugRequest('debugInfo', {});
  const initialized = c.nextEvent('initialized');
  await c.debugRequest('initialize', JLAB_INIT);
  await c.debugRequest('attach', {});
  await timeout(initialized, 10000, 'initialized');
  return c;
}

/** The client's sockets only (its kernel is already gone). */
function closeSockets(c) {
  for (const s of [c.shell, c.control, c.iopub]) {
    s.linger = 0;
    s.close();
  }
  clients.delete(c);
}

function attachedThread(stdout) {
  const m = /Attached thread (\d+): /.exec(stdout);
  if (!m) throw new Error(`%attach printed no thread: ${stdout.trim()}`);
  return Number(m[1]);
}

async function magic(c, code) {
  const r = await c.execute(code);
  if (r.reply.content.status !== 'ok') throw new Error(`${code}: ${r.reply.content.ename}: ${r.reply.content.evalue}`);
  return r.stdout;
}

/** The server attaches itself with a fresh token; the kernel takes it with %attach. */
async function attachFromInside(c, server) {
  const { token } = await c.debugRequest('listen', {});
  const waiting = c.nextEvent('agentWaiting', (e) => e.body?.pid === server.child.pid);
  const said = await get(server.port, `/attach?t=${encodeURIComponent(token)}`, 10000);
  if (said !== 'attached') throw new Error(`the server could not attach: ${said}`);
  await timeout(waiting, 10000, 'agentWaiting');
  return attachedThread(await magic(c, '%attach'));
}

/** Breakpoint, a real request stops there, `release` while paused; the checks of one cycle. */
async function pausedCycle(c, server, threadId, cycle, release) {
  const { breakpoints } = await c.debugRequest('setBreakpoints', { source: { path: SERVER }, breakpoints: [{ line: BP_LINE }], sourceModified: false });
  if (!breakpoints[0]?.verified) throw new Error(`breakpoint not verified: ${JSON.stringify(breakpoints)}`);
  const stopped = c.nextEvent('stopped', (e) => e.body?.threadId === threadId);
  const pending = get(server.port, `/paused/${cycle}`, 15000);
  pending.catch(() => undefined);
  await timeout(stopped, 15000, 'stopped at the breakpoint');
  const t0 = now();
  await release();
  const body = await timeout(pending, 10000, 'the paused request');
  const pausedMs = now() - t0;
  if (body !== `hello /paused/${cycle} from ${server.child.pid}`) throw new Error(`paused request answered ${body}`);
  const t1 = now();
  let nextMs;
  let nextError;
  try {
    await get(server.port, `/after/${cycle}`, 5000);
    nextMs = now() - t1;
  } catch (e) {
    nextError = e.message;
  }
  const died = await endedWithin(server.child, CRASH_WINDOW_MS);
  return { pausedMs, nextMs, died, error: died ? `server ${died}` : (nextError ?? (nextMs > NEXT_WITHIN_MS ? `new request took ${nextMs.toFixed(0)} ms` : undefined)) };
}

/** Runs CYCLES cycles of one kind; a cycle that throws is recorded as failed and the next one goes on. */
async function runKind(kind, cycle) {
  const results = [];
  for (let i = 0; i < CYCLES; i++) {
    const t = now();
    let r;
    try {
      r = await cycle(i);
    } catch (e) {
      r = { error: e.message, died: undefined };
    }
    r.cycle = i;
    r.ms = now() - t;
    results.push(r);
    if (r.error) console.log(`${kind} #${i}: ${r.error}`);
    else if ((i + 1) % 10 === 0) console.log(`${kind}: ${i + 1}/${CYCLES} cycles`);
  }
  return results;
}

const byKind = {};

// ---- agent + %detach while paused: one server, re-attached every cycle ----
if (kinds.includes('agent-detach')) {
  const c = await newKernel();
  let server;
  byKind['agent-detach'] = await runKind('agent-detach', async (i) => {
    let threadId;
    if (!server || server.dead()) {
      if (server) server = undefined;
      if (!CUSTOM_AGENT) {
        const listen = await c.debugRequest('listen', {});
        const register = /--import (\S+) app\.js/.exec(listen.commands.import)[1];
        const waiting = c.nextEvent('agentWaiting');
        server = await startServer(['--import', register], { TSKERNEL_ATTACH_TOKEN: listen.token });
        await timeout(waiting, 10000, 'agentWaiting');
        threadId = attachedThread(await magic(c, '%attach'));
      } else server = await startServer();
    }
    threadId ??= await attachFromInside(c, server);
    return pausedCycle(c, server, threadId, i, () => magic(c, `%detach ${threadId}`));
  });
  await c.shutdown();
  clients.delete(c);
}

// ---- agent + kernel SIGKILL while paused: a new kernel every cycle, the same server ----
if (kinds.includes('agent-kill')) {
  let server;
  byKind['agent-kill'] = await runKind('agent-kill', async (i) => {
    if (!server || server.dead()) server = await startServer();
    const c = await newKernel();
    try {
      const threadId = await attachFromInside(c, server);
      return await pausedCycle(c, server, threadId, i, async () => {
        const gone = new Promise((r) => c.proc.once('exit', r));
        c.proc.kill('SIGKILL');
        await gone;
      });
    } finally {
      if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
      closeSockets(c);
    }
  });
}

// ---- by pid / by port + %detach while paused: one server each ----
for (const [kind, nodeArgs, target] of [
  // --inspect-port=0: SIGUSR1 opens the inspector on a free port, not 9229 (which anything else on
  // the machine, e.g. a test run's by-pid attach, may hold: the attach would fail for that reason).
  ['pid-detach', ['--inspect-port=0'], (s) => `--pid ${s.child.pid}`],
  ['port-detach', ['--inspect=127.0.0.1:0'], (s) => String(s.inspectPort)],
]) {
  if (!kinds.includes(kind)) continue;
  const c = await newKernel();
  let server;
  byKind[kind] = await runKind(kind, async (i) => {
    if (!server || server.dead()) server = await startServer(nodeArgs);
    const threadId = attachedThread(await magic(c, `%attach ${target(server)}`));
    return pausedCycle(c, server, threadId, i, () => magic(c, `%detach ${threadId}`));
  });
  await c.shutdown();
  clients.delete(c);
}

// ---- the runner: paused at a cell breakpoint, process.exit(7) evaluated in the paused frame ----
if (kinds.includes('runner-restart')) {
  const c = await newKernel();
  await c.execute('1');
  const code = ['function work(n: number) {', '  const doubled = n * 2;', '  return doubled;', '}', 'work(21);'].join('\n');
  byKind['runner-restart'] = await runKind('runner-restart', async (i) => {
    const { sourcePath } = await c.debugRequest('dumpCell', { code });
    const { breakpoints } = await c.debugRequest('setBreakpoints', { source: { path: sourcePath }, breakpoints: [{ line: 2 }], sourceModified: false });
    if (!breakpoints[0]?.verified) throw new Error(`cell breakpoint not verified: ${JSON.stringify(breakpoints)}`);
    const stopped = c.nextEvent('stopped', (e) => e.body?.threadId === 1);
    const run = c.request('shell', 'execute_request', { code, silent: false, store_history: false, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    await timeout(stopped, 15000, 'stopped in the cell');
    const { stackFrames } = await c.debugRequest('stackTrace', { threadId: 1 });
    const t0 = now();
    c.request('control', 'debug_request', { type: 'request', seq: 900000 + i, command: 'evaluate', arguments: { expression: 'process.exit(7)', frameId: stackFrames[0].id, context: 'repl' } });
    const reply = await timeout(run.reply, 10000, 'the paused cell');
    await timeout(run.idle, 10000, 'the paused cell idle');
    const pausedMs = now() - t0;
    const said = `${reply.content.ename} ${reply.content.evalue}`;
    const died = /SIG[A-Z]+/.exec(said)?.[0];
    const t1 = now();
    const next = await c.execute(`${i} + 1`);
    const nextMs = now() - t1;
    const ok = next.reply.content.status === 'ok';
    const error = died
      ? `runner killed by ${died}: ${said}`
      : !/exited with code 7/.test(said)
        ? `unexpected cell reply: ${said}`
        : !ok
          ? `next cell failed: ${next.reply.content.evalue}`
          : nextMs > NEXT_WITHIN_MS
            ? `next cell took ${nextMs.toFixed(0)} ms`
            : undefined;
    return { pausedMs, nextMs, died: died ? `runner ${died}` : undefined, error };
  });
  await c.shutdown();
  clients.delete(c);
}

const max = (xs) => (xs.length ? Math.max(...xs) : NaN);
const rows = Object.entries(byKind).map(([kind, rs]) => {
  const paused = rs.filter((r) => r.pausedMs !== undefined).map((r) => r.pausedMs);
  const next = rs.filter((r) => r.nextMs !== undefined).map((r) => r.nextMs);
  return {
    kind,
    cycles: rs.length,
    crashes: rs.filter((r) => r.died).length,
    'paused done': paused.length,
    'next <=1s': rs.filter((r) => r.nextMs !== undefined && r.nextMs <= NEXT_WITHIN_MS).length,
    failed: rs.filter((r) => r.error).length,
    'paused p50 ms': Number(median(paused)?.toFixed(1) ?? NaN),
    'paused max ms': Number(max(paused).toFixed(1)),
    'next p50 ms': Number(median(next)?.toFixed(1) ?? NaN),
    'next max ms': Number(max(next).toFixed(1)),
    ok: rs.every((r) => !r.error),
  };
});
console.table(rows);
fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
// A run with another agent build (a comparison) does not overwrite the real results.
fs.writeFileSync(
  path.join(ROOT, 'bench', 'results', CUSTOM_AGENT ? 'stress-detach-other-agent.json' : 'stress-detach.json'),
  JSON.stringify(
    { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cycles: CYCLES, agent: CUSTOM_AGENT ? AGENT_JS : 'kernel/dist/agent', rows, cycles_detail: byKind },
    null,
    2,
  ) + '\n',
);
process.exit(rows.every((r) => r.ok) ? 0 : 1);
