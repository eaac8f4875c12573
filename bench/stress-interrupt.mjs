// Interrupt stress benchmark over real ZeroMQ against the real kernel: N cycles (default 200) of
// each kind, one kernel per kind, every interrupt_request sent a few milliseconds (0–5, cycling)
// after the cell's execute_input so the runner's SIGINT lands at every phase of a cell's start:
//   loop    `kept++; while (true) {}`: the synchronous loop must end with KeyboardInterrupt
//   await   `kept++; await new Promise(() => {})`: the awaiting cell must end with KeyboardInterrupt
//   short   `kept++` (a cell that may finish before the interrupt lands): ok or KeyboardInterrupt
//   loop-listener  `loop` with a SIGINT listener of the cells' own registered first
// A cycle fails if the reply is anything else (RunnerRestarted: the runner was killed or had to be
// restarted, its variables lost). At the end the runner must be the same process, with `kept`
// still defined (a cell interrupted before its first statement leaves it as it was). --load N runs N busy processes alongside (a loaded CI machine). Prints a table, writes
// bench/results/stress-interrupt.json.
//
// Usage: node bench/stress-interrupt.mjs [cycles] [kind,kind…] [--load N]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BenchClient, median, p90, ROOT } from './client.mjs';

const LOOP = 'kept++; while (true) {}';
const KINDS = { loop: LOOP, await: 'kept++; await new Promise(() => {})', short: 'kept++', 'loop-listener': LOOP };
/** Run once before the cycles: a SIGINT listener of the cells' own (a server's clean-up). */
const SETUP = { 'loop-listener': 'process.on("SIGINT", () => {})' };
const args = process.argv.slice(2);
const loadAt = args.indexOf('--load');
const LOAD = loadAt >= 0 ? Number(args.splice(loadAt, 2)[1]) : 0;
const CYCLES = Number(args[0] ?? 200);
const kinds = (args[1] ?? Object.keys(KINDS).join(',')).split(',').filter(Boolean);
for (const k of kinds) if (!(k in KINDS)) throw new Error(`unknown kind ${k}; kinds: ${Object.keys(KINDS).join(', ')}`);
const now = () => performance.now();

const hogs = Array.from({ length: LOAD }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
const clients = new Set();
process.on('exit', () => {
  for (const h of hogs) h.kill('SIGKILL');
  for (const c of clients) if (c.proc?.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
});

function timeout(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, j) => (t = setTimeout(() => j(new Error(`timed out after ${ms} ms: ${what}`)), ms)))]).finally(() => clearTimeout(t));
}

async function stress(kind) {
  const k = new BenchClient();
  clients.add(k);
  await k.start('typescript');
  // A typed cell first, until its type report is in: the first cells' replies wait (bounded) for a
  // starting checker's report, which is not what this measures.
  const warm = await k.execute('const warm: number = "one"');
  for (const end = now() + 60_000; !/TS2322|not assignable/.test(k.streamText.get(warm.msgId) ?? '');) {
    if (now() > end) throw new Error('no type report within 60 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  await k.execute('var kept = 0');
  if (SETUP[kind]) await k.execute(SETUP[kind]);
  const before = await peek(k);
  const replyMs = [];
  const failures = [];
  const outcomes = { ok: 0, KeyboardInterrupt: 0, runnerLost: 0 };
  for (let i = 0; i < CYCLES; i++) {
    const run = k.request('shell', 'execute_request', { code: KINDS[kind], silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false });
    // From the cell's execute_input (an interrupt before the kernel has the cell is a no-op, as
    // in every kernel), a few milliseconds later: the runner receives, compiles and starts it.
    await k.nextIopub((m) => m.header.msg_type === 'execute_input' && m.parent_header.msg_id === run.msgId);
    const delay = i % 6;
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const t = now();
    const ir = k.request('control', 'interrupt_request', {});
    let reply;
    try {
      reply = await timeout(run.reply, 10_000, `cycle ${i} reply`);
      await timeout(ir.reply, 10_000, `cycle ${i} interrupt_reply`);
      await run.idle;
    } catch (e) {
      failures.push({ cycle: i, delay, error: String(e.message) });
      break;
    }
    replyMs.push(now() - t);
    const c = reply.content;
    const outcome = c.status === 'ok' ? 'ok' : c.ename;
    const expected = kind === 'short' ? ['ok', 'KeyboardInterrupt'] : ['KeyboardInterrupt'];
    if (expected.includes(outcome)) outcomes[outcome]++;
    else {
      failures.push({ cycle: i, delay, outcome, evalue: String(c.evalue ?? '').split('\n')[0] });
      // A new runner: define `kept` again so the next cycles still count.
      if (outcome === 'RunnerRestarted') {
        outcomes.runnerLost = (outcomes.runnerLost ?? 0) + 1;
        await k.execute('var kept = 0');
      }
    }
  }
  const after = await peek(k);
  await k.shutdown();
  clients.delete(k);
  if (after.pid !== before.pid && !outcomes.runnerLost) failures.push({ runnerReplaced: `${before.pid} → ${after.pid}` });
  return {
    kind,
    cycles: replyMs.length,
    ...outcomes,
    failures,
    kept: after.kept,
    replyMedianMs: median(replyMs),
    replyP90Ms: p90(replyMs),
    replyMaxMs: Math.max(...replyMs),
    slowestCycle: replyMs.indexOf(Math.max(...replyMs)),
  };
}

/** The runner's pid and `kept`, read as user expressions. */
async function peek(k) {
  const exprs = { pid: 'process.pid', kept: 'typeof kept === "number" ? kept : -1' };
  const r = k.request('shell', 'execute_request', { code: '', silent: true, store_history: false, user_expressions: exprs, allow_stdin: false, stop_on_error: false });
  const reply = await r.reply;
  await r.idle;
  const value = (name) => Number(reply.content.user_expressions?.[name]?.data?.['text/plain']);
  return { pid: value('pid'), kept: value('kept') };
}

const rows = [];
for (const kind of kinds) rows.push(await stress(kind));
for (const h of hogs) h.kill('SIGKILL');

const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—');
console.log(`\ninterrupt stress: ${CYCLES} cycles per kind${LOAD ? `, ${LOAD} busy processes alongside` : ''}\n`);
console.log('| kind | cycles | KeyboardInterrupt | ok | failed | runner lost | `kept` after | interrupt → reply median / p90 / max (ms) |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.kind} | ${r.cycles} | ${r.KeyboardInterrupt} | ${r.ok} | ${r.failures.length} | ${r.runnerLost} | ${r.kept} | ${fmt(r.replyMedianMs)} / ${fmt(r.replyP90Ms)} / ${fmt(r.replyMaxMs)} (cycle ${r.slowestCycle}) |`,
  );
  for (const f of r.failures.slice(0, 5)) console.log(`  ✘ ${JSON.stringify(f)}`);
}
const out = path.join(ROOT, 'bench', 'results', 'stress-interrupt.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), cycles: CYCLES, load: LOAD, rows }, null, 2) + '\n');
console.log(`\nwritten ${path.relative(ROOT, out)}`);
const bad = rows.filter((r) => r.failures.length || !(r.kept > 0 && r.kept <= CYCLES));
process.exitCode = bad.length ? 1 : 0;
