// Memory of the kernel tree (kernel process with its language worker thread, runner process) at
// the points the memory targets of issue 12 name: right after start, once the language service
// has loaded, over 10,000 executed cells (type checking on, as by default) and after a 100k-line
// flood. Each thread's V8 heap comes from bench/heapProbe.cjs (preloaded through NODE_OPTIONS; a
// full GC first, so "live" is live bytes), RSS and private memory (USS: RSS without the node
// binary's pages that every Node process shares) from /proc, and the kernel process's RSS beyond
// its threads' V8 heaps (where the C allocator's share shows). Also the first cell's type-report
// time and live heap bytes per executed cell in each thread (where per-cell memory goes).
// Prints tables and writes bench/results/memory.json. Uses the built kernel (npm run build first).
// MEMORY_BENCH_CELLS sets the cell count (default 10000); TSKERNEL_LANG_IDLE_GC=off measures
// without the language worker's idle collection.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BenchClient, ROOT } from './client.mjs';

const CELLS = Number(process.env.MEMORY_BENCH_CELLS ?? 10000);
const QUIET_MS = 2500;
const SETTLE_MS = 10_000;
const heapDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-heap-'));
process.env.TSKERNEL_BENCH_HEAPDIR = heapDir;
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(ROOT, 'bench', 'heapProbe.cjs')}`.trim();

const MB = 2 ** 20;
const mb = (b) => Number((b / MB).toFixed(1));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error('[memory]', ...a);

async function until(what, pred, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function rssOf(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
}

/**
 * Private memory (USS: pages no other process maps): what the machine gets back when the kernel
 * goes. RSS also counts the node binary's and libraries' file pages (~40 MB per process), which
 * every Node process on the machine shares: a hub running many kernels pays for them once.
 */
function privateOf(pid) {
  const t = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(t)?.[1] ?? 0);
  return (kb('Private_Clean') + kb('Private_Dirty')) * 1024;
}

function probes() {
  const out = [];
  for (const f of fs.readdirSync(heapDir)) {
    if (!f.endsWith('.json')) continue;
    try {
      out.push(JSON.parse(fs.readFileSync(path.join(heapDir, f), 'utf8')));
    } catch {
      // Being replaced right now.
    }
  }
  return out;
}

let gcSeq = 0;
/** Asks every thread for a full GC and waits until each live thread has reported after it. */
async function liveHeaps(k) {
  gcSeq++;
  fs.writeFileSync(path.join(heapDir, 'gc'), String(gcSeq));
  const pids = new Set([k.proc.pid, ...k.childPids()]);
  const t = Date.now();
  return until('heap reports after GC', () => {
    const ps = probes().filter((p) => pids.has(p.pid) && p.at > t - 5000);
    return ps.length >= 2 && ps.every((p) => p.gc === gcSeq) ? ps : undefined;
  });
}

/**
 * RSS by process right away ("busy") and after QUIET_MS without requests, once settled ("at rest": what a user
 * sees between cells), then (after a full GC in every thread) live V8 heap by thread.
 */
async function snapshot(k, label) {
  const runnerPid = k.childPids()[0];
  const busy = rssOf(k.proc.pid) + (runnerPid ? rssOf(runnerPid) : 0);
  await sleep(QUIET_MS);
  // At rest means settled: the worker's deferred rebuild and idle collection (and V8 returning
  // the freed pages) can take a few seconds after a burst; wait (up to SETTLE_MS) until the tree's
  // RSS changes by less than 1 MB over half a second.
  const tree = () => rssOf(k.proc.pid) + (runnerPid ? rssOf(runnerPid) : 0);
  for (let prev = tree(), end = Date.now() + SETTLE_MS; Date.now() < end;) {
    await sleep(500);
    const now = tree();
    if (Math.abs(now - prev) < MB) break;
    prev = now;
  }
  const rss = { kernel: rssOf(k.proc.pid), runner: runnerPid ? rssOf(runnerPid) : 0, busy };
  // The kernel process's RSS beyond the V8 heaps of its threads (main, language worker, heartbeat),
  // at the same moment (their last reports, before the GC below): the C allocator's share (zmq,
  // Node's buffers, V8's own malloc), thread stacks and the node binary's pages.
  const kernelThreads = probes().filter((p) => p.pid === k.proc.pid);
  const beyondV8 = rss.kernel - kernelThreads.reduce((sum, p) => sum + p.heap.total_heap_size, 0);
  const uss = privateOf(k.proc.pid) + (runnerPid ? privateOf(runnerPid) : 0);
  const heaps = await liveHeaps(k);
  const thread = (role, t) => heaps.find((p) => p.role === role && p.thread === t);
  const row = (p) =>
    p
      ? {
          live: p.heap.used_heap_size,
          committed: p.heap.total_heap_size,
          external: p.external,
          code: (p.spaces.code_space ?? 0) + (p.spaces.code_large_object_space ?? 0),
          large: p.spaces.large_object_space ?? 0,
        }
      : undefined;
  const snap = {
    label,
    rss: { ...rss, total: rss.kernel + rss.runner, kernelBeyondV8: beyondV8 },
    uss,
    heap: { kernel: row(thread('kernel', 'main')), worker: row(thread('kernel', 'language')), runner: row(thread('runner', 'main')) },
  };
  log(label, `RSS ${mb(snap.rss.total)} MB`);
  return snap;
}

async function typeReport(k, code, needle) {
  const t = performance.now();
  const r = k.request('shell', 'execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false });
  await until('type report', () => (k.streamText.get(r.msgId) ?? '').includes(needle), 60_000);
  const ms = performance.now() - t;
  await r.idle;
  return ms;
}

const k = new BenchClient();
await k.start();
await until('runner', () => k.childPids().length > 0);
await until('runner heap report', () => probes().some((p) => p.role === 'runner'));
const atStart = await snapshot(k, 'after start (first kernel_info answered; language service loading)');
// The first cell right after start: how long until its type report (the service warms meanwhile).
const firstReportMs = await typeReport(k, 'const bad: number = "x";', '2322');
const loaded = await snapshot(k, 'language service loaded (after the first cell)');
const secondReportMs = await typeReport(k, 'const bad2: string = 1;', '2322');

const warmCells = Math.min(1000, Math.floor(CELLS / 10));
let atWarm;
const t0 = performance.now();
for (let i = 0; i < CELLS; i++) {
  if (i === warmCells) atWarm = await snapshot(k, `after ${warmCells} cells`);
  await k.execute(`const v${i % 10} = ${i}`);
}
const cellsSecs = (performance.now() - t0) / 1000;
const afterCells = await snapshot(k, `after ${CELLS} cells`);
const flood = await k.execute('for (let i = 0; i < 100000; i++) console.log(i);');
if (flood.stdout.split('\n').length !== 100001) throw new Error('flood lines missing');
k.streamText.clear();
await sleep(500);
const afterFlood = await snapshot(k, `after ${CELLS} cells + 100k-line flood`);
await k.shutdown();
fs.rmSync(heapDir, { recursive: true, force: true });

const perCell = {};
for (const t of ['kernel', 'worker', 'runner']) {
  const a = atWarm?.heap[t]?.live;
  const b = afterCells.heap[t]?.live;
  perCell[t] = a !== undefined && b !== undefined ? Math.round((b - a) / (CELLS - warmCells)) : null;
}
const snaps = [atStart, loaded, ...(atWarm ? [atWarm] : []), afterCells, afterFlood];
const result = {
  date: new Date().toISOString(),
  node: process.version,
  cells: CELLS,
  firstTypeReportMs: Number(firstReportMs.toFixed(1)),
  secondTypeReportMs: Number(secondReportMs.toFixed(1)),
  cellsPerSecond: Number((CELLS / cellsSecs).toFixed(0)),
  rssGrowthOverCellsMb: mb(afterCells.rss.total - loaded.rss.total),
  idleGc: process.env.TSKERNEL_LANG_IDLE_GC !== 'off',
  liveBytesPerCell: perCell,
  snapshots: snaps,
  targets: { rssAfterStartMb: 120, rssLoadedMb: 220, rssAfterCellsAndFloodRatio: 1.5, rssGrowthMb: 20, firstTypeReportMs: 300 },
};

console.log(`kernel tree memory (${process.version}; MB; heap = live V8 bytes after a full GC / committed)`);
console.table(
  snaps.map((s) => ({
    point: s.label,
    'RSS busy': mb(s.rss.busy),
    'RSS at rest': mb(s.rss.total),
    'RSS kernel (+worker)': mb(s.rss.kernel),
    'kernel beyond V8 heaps': mb(s.rss.kernelBeyondV8),
    'RSS runner': mb(s.rss.runner),
    'private (USS)': mb(s.uss),
    'kernel heap': s.heap.kernel ? `${mb(s.heap.kernel.live)} / ${mb(s.heap.kernel.committed)}` : '-',
    'worker heap': s.heap.worker ? `${mb(s.heap.worker.live)} / ${mb(s.heap.worker.committed)}` : '-',
    'runner heap': s.heap.runner ? `${mb(s.heap.runner.live)} / ${mb(s.heap.runner.committed)}` : '-',
  })),
);
console.table([
  { measure: 'first cell type report after start', value: `${result.firstTypeReportMs} ms`, target: '≤ 300 ms (quiet machine)' },
  { measure: 'second cell type report', value: `${result.secondTypeReportMs} ms`, target: '' },
  { measure: `RSS growth over ${CELLS} cells (at rest)`, value: `${result.rssGrowthOverCellsMb} MB`, target: '≤ 20 MB' },
  { measure: 'after cells + flood / loaded (at rest)', value: (afterFlood.rss.total / loaded.rss.total).toFixed(2), target: '≤ 1.5' },
  ...Object.entries(perCell).map(([t, b]) => ({ measure: `live heap bytes per cell: ${t}`, value: b === null ? '-' : `${b} B`, target: '' })),
  { measure: 'cells per second (check + run)', value: String(result.cellsPerSecond), target: '' },
]);
const out = path.join(ROOT, 'bench', 'results', 'memory.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), out)}`);
process.exit(0);
