// Attach benchmark over real ZeroMQ against the real kernel: what attaching the notebook's
// debugger costs a running node:http server, and how fast an attached target answers.
//
// Throughput: one server unattached, one attached via the agent (`%listen` + `node --import
// …/register.js`), one attached by port (`--inspect=127.0.0.1:0`), all with the debugger enabled
// and a breakpoint set in a function of another file that requests never reach. Load comes from
// bench/loadgen.mjs in its own process (http.Agent keepAlive, CONNS connections, 0.5 s warm-up,
// 1.5 s measured), with the server's CPU use over the window (≈100% means the server, not the load
// generator, was the bottleneck). Rounds are interleaved (rotating order); each ratio to the
// unattached server is taken within a round (the runs ~10 s apart, not a minute: this kind of VM
// drifts by ±40% over a minute) and the median over 9 rounds is reported. Latency: `next` → `stopped` on an attached thread, and HTTP request → `stopped`
// at a breakpoint in the handler, over the agent and by port (which the kernel upgrades to an
// injected agent's link on this host, attach/agentUpgrade.ts). Prints a table and writes
// bench/results/attach.json.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as http from 'node:http';
import { BenchClient, JLAB_INIT, median, ROOT } from './client.mjs';

const now = () => performance.now();
const CONNS = Number(process.env.BENCH_CONNS ?? 16);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 500);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 1500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CLK_TCK = 100; // Linux USER_HZ

// The server: the hot path in routes.js, a never-called function in admin.js (breakpoint there).
const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-bench-attach-')));
const FILES = {
  'server.js': [
    "const http = require('http');",
    "const { handle } = require('./routes.js');",
    "require('./admin.js');",
    'function start() {',
    '  const server = http.createServer(handle);',
    '  server.keepAliveTimeout = 60000;',
    "  server.listen(0, '127.0.0.1', () => console.log('HTTP_PORT ' + server.address().port));",
    '}',
    // Reference points without the kernel: an in-process inspector session (a worker, like the
    // agent) with the Debugger domain on and a breakpoint in admin.js, with and without async
    // stack traces (Debugger.setAsyncCallStackDepth 32, which the kernel turns on with breakpoints).
    'const mode = process.env.BENCH_INSPECTOR_MODE;',
    "if (!mode) start(); else new (require('worker_threads').Worker)(`",
    "  const { Session } = require('inspector'); const s = new Session(); s.connectToMainThread();",
    '  const post = (m, p) => new Promise((r, j) => s.post(m, p || {}, (e, v) => (e ? j(e) : r(v))));',
    '  (async () => {',
    "    await post('Debugger.enable');",
    "    await post('Debugger.setBreakpointByUrl', { lineNumber: 1, url: ${JSON.stringify(require('url').pathToFileURL(__dirname + '/admin.js').href)} });",
    "    if (${JSON.stringify(mode)} === 'async') await post('Debugger.setAsyncCallStackDepth', { maxDepth: 32 });",
    "    require('worker_threads').parentPort.postMessage('ready');",
    '  })();',
    '  setInterval(() => {}, 1 << 30);',
    "`, { eval: true }).once('message', start);",
    '',
  ],
  'routes.js': [
    'function handle(req, res) {',
    '  const url = req.url;', // line 2: breakpoint for the latency measurements
    '  const size = url.length;',
    "  const body = 'ok ' + size;",
    "  res.setHeader('content-type', 'text/plain');",
    '  res.end(body);',
    '}',
    'module.exports = { handle };',
    '',
  ],
  'admin.js': [
    'function rebuildIndex(items) {',
    '  const sorted = [...items].sort();', // line 2: breakpoint never hit
    '  return sorted.length;',
    '}',
    'module.exports = { rebuildIndex };',
    '',
  ],
};
for (const [name, lines] of Object.entries(FILES)) fs.writeFileSync(path.join(dir, name), lines.join('\n'));
// Whatever happens (a failed step throws), no server, load generator or kernel outlives the run.
const spawned = new Set();
process.on('exit', () => {
  for (const p of spawned) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});
const SERVER = path.join(dir, 'server.js');
const ROUTES = path.join(dir, 'routes.js');
const ADMIN = path.join(dir, 'admin.js');

function waitText(read, stream, re, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = re.exec(read());
      if (!m) return;
      clearTimeout(timer);
      stream.off('data', check);
      resolve(m);
    };
    const timer = setTimeout(() => (stream.off('data', check), reject(new Error(`timed out waiting for ${re} on ${what}:\n${read()}`))), timeoutMs);
    stream.on('data', check);
    check();
  });
}

async function startServer(name, nodeArgs = [], env = {}) {
  const child = spawn(process.execPath, [...nodeArgs, SERVER], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.add(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const port = Number((await waitText(() => out, child.stdout, /HTTP_PORT (\d+)/, 15000, `${name} stdout`))[1]);
  return { name, child, port, stderr: () => err, waitStderr: (re) => waitText(() => err, child.stderr, re, 15000, `${name} stderr`) };
}

function cpuTicks(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime
}

/** One load run against `server`: requests/s and the server's CPU use over the measured window. */
async function load(server) {
  const gen = spawn(
    process.execPath,
    [path.join(ROOT, 'bench', 'loadgen.mjs'), '--host', '127.0.0.1', '--port', String(server.port), '--conns', String(CONNS), '--warmup', String(WARMUP_MS), '--duration', String(DURATION_MS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  spawned.add(gen);
  let out = '';
  gen.stdout.on('data', (d) => (out += d));
  await waitText(() => out, gen.stdout, /MEASURE/, 30000, 'loadgen');
  const c0 = cpuTicks(server.child.pid);
  const t0 = now();
  await waitText(() => out, gen.stdout, /DONE/, 30000, 'loadgen');
  const cpu = (cpuTicks(server.child.pid) - c0) / CLK_TCK / ((now() - t0) / 1000);
  const code = await new Promise((r) => gen.once('exit', r));
  if (code !== 0) throw new Error(`loadgen exited with ${code}: ${out}`);
  const result = JSON.parse(out.trim().split('\n').pop());
  if (result.errors) throw new Error(`${result.errors} failed requests against ${server.name}`);
  return { ...result, serverCpu: cpu };
}

function get(port, urlPath) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

// ---- the kernel, with the debugger on (JupyterLab's enable sequence) ----
const c = new BenchClient();
process.on('exit', () => c.proc?.exitCode === null && c.proc.kill('SIGTERM')); // the kernel ends its runner
await c.start('typescript');
await c.execute('1');
await c.debugRequest('debugInfo', {});
const initialized = c.nextEvent('initialized');
await c.debugRequest('initialize', JLAB_INIT);
await c.debugRequest('attach', {});
await initialized;

// ---- three servers: plain, agent, port ----
const plain = await startServer('unattached');

const listen = await c.debugRequest('listen', {});
const register = /--import (\S+) app\.js/.exec(listen.commands.import)[1];
const waiting = c.nextEvent('agentWaiting');
let t = now();
const viaAgent = await startServer('agent', ['--import', register], { TSKERNEL_ATTACH_TOKEN: listen.token });
const agentInfo = await waiting;
const agentAttach = await c.debugRequest('attachTarget', { agentId: agentInfo.body.id });
const agentSpawnToAttached = now() - t;
viaAgent.threadId = agentAttach.target.threadId;

t = now();
const viaPort = await startServer('port', ['--inspect=127.0.0.1:0']);
const inspectPort = Number((await viaPort.waitStderr(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//))[1]);
const portAttach = await c.debugRequest('attachTarget', { port: inspectPort });
const portSpawnToAttached = now() - t;
viaPort.threadId = portAttach.target.threadId;

const rawBp = await startServer('inspector', [], { BENCH_INSPECTOR_MODE: 'bp' });
const rawAsync = await startServer('inspector+async', [], { BENCH_INSPECTOR_MODE: 'async' });

// A breakpoint in a function no request reaches; it binds in both attached servers.
const never = await c.debugRequest('setBreakpoints', { source: { path: ADMIN }, breakpoints: [{ line: 2 }], sourceModified: false });
if (!never.breakpoints.every((b) => b.verified)) throw new Error(`admin.js breakpoint not verified: ${JSON.stringify(never.breakpoints)}`);

// ---- throughput, interleaved rounds ----
const servers = [plain, viaAgent, viaPort, rawBp, rawAsync];
const runs = Object.fromEntries(servers.map((s) => [s.name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < servers.length; k++) {
    const s = servers[(round + k) % servers.length];
    const r = await load(s);
    runs[s.name].push(r);
    console.log(`round ${round + 1} ${s.name.padEnd(16)} ${r.rps.toFixed(0)} req/s  server CPU ${(r.serverCpu * 100).toFixed(0)}%  p50 ${r.p50Ms.toFixed(2)} ms`);
  }
}
const rps = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v.map((r) => r.rps))]));
const cpu = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v.map((r) => r.serverCpu))]));
// Requests per second of server CPU: the overhead even when the load generator, not the server,
// is the bottleneck (2 cores: the unattached server is usually not saturated).
const perCpu = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v.map((r) => r.rps / r.serverCpu))]));
/** Median over rounds of `name`'s measure divided by the unattached server's in the same round. */
const pairedRatio = (name, measure) => median(runs[name].map((r, i) => measure(r) / measure(runs.unattached[i])));
const ratio = Object.fromEntries(servers.map((s) => [s.name, { rps: pairedRatio(s.name, (r) => r.rps), perCpu: pairedRatio(s.name, (r) => r.rps / r.serverCpu) }]));
await c.debugRequest('setBreakpoints', { source: { path: ADMIN }, breakpoints: [], sourceModified: false });

// ---- latency: request -> stopped at a breakpoint in the handler, then `next` x3, continue ----
async function latency(server, requests = 10) {
  const hit = [];
  const next = [];
  for (let i = 0; i < requests; i++) {
    const stopped = c.nextEvent('stopped', (e) => e.body?.threadId === server.threadId);
    const t0 = now();
    const response = get(server.port, `/latency/${i}`);
    await stopped;
    hit.push(now() - t0);
    for (let s = 0; s < 3; s++) {
      const st = c.nextEvent('stopped', (e) => e.body?.threadId === server.threadId);
      const t1 = now();
      await c.debugRequest('next', { threadId: server.threadId });
      await st;
      next.push(now() - t1);
    }
    await c.debugRequest('continue', { threadId: server.threadId });
    const body = await response;
    if (!body.startsWith('ok ')) throw new Error(`unexpected response ${body}`);
  }
  return { hit, next };
}
await c.debugRequest('setBreakpoints', { source: { path: ROUTES }, breakpoints: [{ line: 2 }], sourceModified: false });
await latency(viaAgent, 2); // warm-up
const agentLat = await latency(viaAgent);
await latency(viaPort, 2);
const portLat = await latency(viaPort);
await c.debugRequest('setBreakpoints', { source: { path: ROUTES }, breakpoints: [], sourceModified: false });

// ---- by pid: the inspector opens briefly to inject the agent, then closes (median of 3) ----
const byPid = [];
for (let i = 0; i < 3; i++) {
  const target = await startServer(`pid-${i}`);
  const t1 = now();
  const r = await c.debugRequest('attachTarget', { pid: target.child.pid });
  byPid.push({ total: now() - t1, kernel: r.elapsedMs });
  await c.debugRequest('detachTarget', { threadId: r.target.threadId });
  const body = await get(target.port, '/after-pid-detach');
  if (!body.startsWith('ok ')) throw new Error(`pid-attached server did not answer after detach: ${body}`);
  target.child.kill();
}

// ---- detach: both keep serving ----
for (const s of [viaAgent, viaPort]) {
  await c.debugRequest('detachTarget', { threadId: s.threadId });
  const body = await get(s.port, '/after-detach');
  if (!body.startsWith('ok ')) throw new Error(`${s.name} server did not answer after detach: ${body}`);
}
await c.debugRequest('disconnect', { restart: false, terminateDebuggee: false });
await c.shutdown();

const pct = (x) => `${(x * 100).toFixed(0)}% CPU`;
const rows = [
  { metric: `req/s unattached (median of ${ROUNDS}, ${CONNS} conns, server ${pct(cpu.unattached)})`, value: rps.unattached, unit: 'req/s', target: null },
  { metric: `req/s attached via agent, bp elsewhere (server ${pct(cpu.agent)})`, value: rps.agent, unit: 'req/s', target: null },
  { metric: `req/s attached by port, bp elsewhere (server ${pct(cpu.port)})`, value: rps.port, unit: 'req/s', target: null },
  { metric: `throughput attached via agent / unattached (median of ${ROUNDS} rounds)`, value: ratio.agent.rps, unit: 'x', target: 0.95, atLeast: true },
  { metric: `throughput attached by port / unattached (median of ${ROUNDS} rounds)`, value: ratio.port.rps, unit: 'x', target: 0.95, atLeast: true },
  {
    metric: `req per server CPU-s, agent / unattached (${perCpu.agent.toFixed(0)} / ${perCpu.unattached.toFixed(0)})`,
    value: ratio.agent.perCpu,
    unit: 'x',
    target: 0.95,
    atLeast: true,
  },
  { metric: `req per server CPU-s, port / unattached (${perCpu.port.toFixed(0)} / ${perCpu.unattached.toFixed(0)})`, value: ratio.port.perCpu, unit: 'x', target: 0.95, atLeast: true },
  { metric: `no kernel: inspector session + bp elsewhere / unattached (server ${pct(cpu.inspector)})`, value: ratio.inspector.rps, unit: 'x', target: null },
  { metric: `no kernel: same + async stacks (depth 32) / unattached (server ${pct(cpu['inspector+async'])})`, value: ratio['inspector+async'].rps, unit: 'x', target: null },
  { metric: 'agent: server spawn -> attached', value: agentSpawnToAttached, unit: 'ms', target: null },
  { metric: 'agent: attachTarget (kernel elapsedMs)', value: agentAttach.elapsedMs, unit: 'ms', target: null },
  { metric: 'port: server spawn -> attached', value: portSpawnToAttached, unit: 'ms', target: null },
  { metric: 'pid: attachTarget, client side (median of 3)', value: median(byPid.map((x) => x.total)), unit: 'ms', target: null },
  { metric: 'port: attachTarget (kernel elapsedMs)', value: portAttach.elapsedMs, unit: 'ms', target: null },
  { metric: `agent: next -> stopped (median of ${agentLat.next.length})`, value: median(agentLat.next), unit: 'ms', target: 3 },
  // By port on this host the kernel moves to an injected agent's link (Node's inspector server writes with Nagle on: ~40 ms a step).
  { metric: `port: next -> stopped (median of ${portLat.next.length})`, value: median(portLat.next), unit: 'ms', target: 5 },
  { metric: `agent: HTTP request -> stopped at bp (median of ${agentLat.hit.length})`, value: median(agentLat.hit), unit: 'ms', target: 10 },
  { metric: `port: HTTP request -> stopped at bp (median of ${portLat.hit.length})`, value: median(portLat.hit), unit: 'ms', target: 10 },
].map((r) => ({
  metric: r.metric,
  value: Number(r.value.toFixed(r.unit === 'x' ? 3 : r.unit === 'req/s' ? 0 : 2)),
  unit: r.unit,
  target: r.target === null ? '' : `${r.atLeast ? '>=' : '<='} ${r.target}`,
  ok: r.target === null ? '' : r.atLeast ? r.value >= r.target : r.value <= r.target,
}));
console.table(rows);
fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
fs.writeFileSync(
  path.join(ROOT, 'bench', 'results', 'attach.json'),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      conns: CONNS,
      warmupMs: WARMUP_MS,
      durationMs: DURATION_MS,
      rows,
      runs,
      latencyMs: { agent: agentLat, port: portLat },
    },
    null,
    2,
  ) + '\n',
);
process.exit(0);
