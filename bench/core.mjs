// Kernel core benchmarks against the targets of the kernel-core issue. Prints a table and
// writes bench/results/core.json.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zmq from 'zeromq';
import { BenchClient, KERNEL_ENV, KERNEL_NODE_FLAGS, median, p90, ROOT } from './client.mjs';

const rows = [];
const log = (...a) => console.error('[bench]', ...a);
const add = (name, value, unit, target) => rows.push({ name, value: Number(value.toFixed(2)), unit, target, ok: value <= target });

async function timed(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const starts = [];
for (let i = 0; i < 5; i++) {
  const c = new BenchClient();
  await c.start();
  starts.push(c.startupMs);
  await c.shutdown();
}
add('launch -> kernel_info_reply (median of 5)', median(starts), 'ms', 100);
log('startup done');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const childrenOf = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

/**
 * The kernel tree's own footprint (kernel + runner, stripper loaded, no language service): a kernel
 * started and left alone, as a hub's pool of pre-started kernels holds it. A kernel_info request
 * would start the language service, so readiness is seen through the heartbeat only; RSS is read
 * once the runner exists and the tree's RSS has not moved by more than 1 MB over 500 ms.
 */
async function footprintBeforeLanguageService() {
  const dir = mkdtempSync(join(tmpdir(), 'tsk-bench-base-'));
  const port = () =>
    new Promise((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = srv.address().port;
        srv.close(() => resolve(p));
      });
    });
  const ports = {};
  for (const name of ['shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port']) ports[name] = await port();
  writeFileSync(join(dir, 'k.json'), JSON.stringify({ ...ports, ip: '127.0.0.1', transport: 'tcp', key: 'bench', signature_scheme: 'hmac-sha256' }));
  const proc = spawn(process.execPath, [...KERNEL_NODE_FLAGS, join(ROOT, 'kernel', 'dist', 'cli', 'main.js'), 'kernel', '-f', join(dir, 'k.json')], {
    cwd: dir,
    stdio: 'ignore',
    env: { ...KERNEL_ENV, ...process.env, TSKERNEL_HISTORY_FILE: 'off' },
  });
  const hb = new zmq.Request({ receiveTimeout: 200, sendTimeout: 200, linger: 0 });
  hb.connect(`tcp://127.0.0.1:${ports.hb_port}`);
  try {
    await hb.send('ping');
    for (;;) {
      try {
        await hb.receive();
        break;
      } catch {
        // No echo yet: the request stays queued until the heartbeat has bound.
      }
    }
    const tree = () => [proc.pid, ...childrenOf(proc.pid)].reduce((sum, pid) => sum + rssOf(pid), 0);
    while (childrenOf(proc.pid).length === 0) await sleep(20);
    let last = tree();
    for (;;) {
      await sleep(500);
      const now = tree();
      if (Math.abs(now - last) < 1) return { total: now, kernel: rssOf(proc.pid) };
      last = now;
    }
  } finally {
    hb.close();
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
const base = [];
for (let i = 0; i < 3; i++) base.push(await footprintBeforeLanguageService());
const baseMb = median(base.map((b) => b.total));
const baseKernelMb = median(base.map((b) => b.kernel));
add(`RSS kernel + runner at rest before the language service (kernel ${baseKernelMb.toFixed(0)} + runner ${(baseMb - baseKernelMb).toFixed(0)})`, baseMb, 'MB', 120);
log('footprint done');

const k = new BenchClient();
await k.start();
// The runner is spawned right after the sockets are bound; let both settle, run nothing.
while (k.childPids().length === 0) await new Promise((r) => setTimeout(r, 20));
await new Promise((r) => setTimeout(r, 500));
// The language service starts after the first kernel_info, so this catches it loading.
add('RSS kernel + runner 500 ms after start (language service loading)', k.rssMb(), 'MB', 220);
await k.execute('1');
await new Promise((r) => setTimeout(r, 2000));
const rssLoaded = k.rssMb();
add('RSS after the first cell (language service worker loaded)', rssLoaded, 'MB', 220);

const trivial = [];
const trivialReply = [];
for (let i = 0; i < 300; i++) {
  const t = performance.now();
  const r = k.request('shell', 'execute_request', { code: '1 + 1', silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
  await r.reply;
  trivialReply.push(performance.now() - t);
  await r.idle;
  trivial.push(performance.now() - t);
}
add('trivial cell -> execute_reply (median of 300)', median(trivialReply.slice(50)), 'ms', 0.7);
add('trivial cell round trip (median of 300)', median(trivial.slice(50)), 'ms', 0.7);
add('trivial cell round trip p90', p90(trivial.slice(50)), 'ms', 2);

await k.execute('%typecheck off');
const typed = [];
for (let i = 0; i < 200; i++) typed.push(await timed(() => k.executeReply(`interface P${i % 5} { x: number }\nconst p: P${i % 5} = { x: ${i} };\nconst q: number = p.x * 2;\nq`)));
add('typed 4-line cell -> execute_reply, typecheck off (median)', median(typed.slice(20)), 'ms', 2);
await k.execute('%typecheck warn');
const typedWarn = [],
  typedWarnIdle = [];
for (let i = 0; i < 60; i++) {
  const t = performance.now();
  const r = k.request('shell', 'execute_request', {
    code: `const w${i % 3}: number = ${i};\nconst v: string = String(w${i % 3});\nv.length\n`,
    silent: false,
    store_history: true,
    user_expressions: {},
    allow_stdin: false,
    stop_on_error: true,
  });
  await r.reply;
  typedWarn.push(performance.now() - t);
  await r.idle;
  typedWarnIdle.push(performance.now() - t);
}
add('typed 4-line cell -> execute_reply, typecheck warn (median)', median(typedWarn.slice(10)), 'ms', 2);
add('typed 4-line cell -> type report + idle, typecheck warn (median)', median(typedWarnIdle.slice(10)), 'ms', 32);

const lines = await timed(async () => {
  const r = await k.execute('for (let i = 0; i < 100000; i++) console.log(i);');
  if (r.stdout.split('\n').length !== 100001) throw new Error('lines missing');
});
add('100k printed lines complete before idle', lines, 'ms', 250);

const intr = [];
for (let i = 0; i < 5; i++) {
  const run = k.request('shell', 'execute_request', { code: 'while (true) {}', silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false });
  await new Promise((r) => setTimeout(r, 100));
  const t = performance.now();
  k.request('control', 'interrupt_request', {});
  await run.reply;
  intr.push(performance.now() - t);
  await run.idle;
}
add('interrupt of a sync loop -> reply (median of 5)', median(intr), 'ms', 10);

await k.execute('%typecheck off');
const before = k.rssMb();
for (let i = 0; i < 10000; i++) await k.execute(`const v${i % 10} = ${i}`);
add('RSS growth over 10k cells', k.rssMb() - before, 'MB', 20);
add('RSS kernel + runner after 10k cells + 100k-line flood (language service loaded)', k.rssMb(), 'MB', 1.5 * rssLoaded);
add('shutdown -> exit', await k.shutdown(), 'ms', 200);

console.table(rows);
mkdirSync(`${ROOT}/bench/results`, { recursive: true });
writeFileSync(`${ROOT}/bench/results/core.json`, JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2));
process.exit(0);
