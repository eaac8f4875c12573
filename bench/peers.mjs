// tskernel side by side with the kernels users would pick instead: Deno's kernel, tslab and
// ipykernel, all driven by the same Python jupyter_client (bench/peers_driver.py) in one run with
// their samples interleaved. On first use installs `deno` and `tslab` from npm into bench/.cache
// (git-ignored) and python3-ipykernel from apt; writes throwaway kernelspecs into
// bench/.cache/jupyter. Prints one table with ratio columns (tskernel ÷ Deno, ÷ tslab) and
// writes bench/results/peers.json. Uses the built kernel (npm run build first).
// Every kernel starts in the same notebook directory: a new empty one outside the repository (the
// checker includes node_modules/@types of the notebook folder and all its parents, and the
// repository's dev typings would weigh on every check and ~110 MB of RSS), unless --notebook-dir
// names another (e.g. a project with many @types packages).
// Options: --rounds N (default 60), --interrupts N (busy-loop interrupts per kernel, default 5),
// --skip a,b (leave kernels out: tskernel, deno, tslab, ipykernel), --notebook-dir DIR.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..');
const CACHE = path.join(here, '.cache');
const PEERS = path.join(CACHE, 'peers');
const JUPYTER = path.join(CACHE, 'jupyter');
const PYTHON = '/usr/bin/python3';
const PEER_PACKAGES = ['deno@2', 'tslab@1'];

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const rounds = Number(opt('--rounds', 60));
const interrupts = Number(opt('--interrupts', 5));
const skip = new Set(String(opt('--skip', '')).split(',').filter(Boolean));
const ownNotebookDir = !opt('--notebook-dir', '');
const notebookDir = path.resolve(opt('--notebook-dir', '') || fs.mkdtempSync(path.join(os.tmpdir(), 'tskernel-peers-notebook-')));
const log = (...a) => console.error('[peers]', ...a);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
  return r;
}

function installPeers() {
  const bin = (n) => path.join(PEERS, 'node_modules', '.bin', n);
  if (!fs.existsSync(bin('deno')) || !fs.existsSync(bin('tslab'))) {
    log(`installing ${PEER_PACKAGES.join(' ')} into ${path.relative(ROOT, PEERS)}`);
    fs.mkdirSync(PEERS, { recursive: true });
    if (!fs.existsSync(path.join(PEERS, 'package.json'))) fs.writeFileSync(path.join(PEERS, 'package.json'), '{ "private": true }\n');
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...PEER_PACKAGES], { cwd: PEERS });
  }
  const hasIpykernel = spawnSync(PYTHON, ['-c', 'import ipykernel'], { stdio: 'ignore' }).status === 0;
  if (!hasIpykernel && !skip.has('ipykernel')) {
    log('installing python3-ipykernel with apt-get');
    const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
    const [cmd, ...rest] = [...sudo, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'python3-ipykernel'];
    run(cmd, rest, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  return { deno: bin('deno'), tslab: bin('tslab') };
}

function writeSpec(name, spec) {
  const dir = path.join(JUPYTER, 'kernels', name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(spec, null, 2) + '\n');
}

function writeSpecs(bins) {
  fs.rmSync(path.join(JUPYTER, 'kernels'), { recursive: true, force: true });
  // TSKERNEL_BENCH_MAIN: another build's cli/main.js (A/B runs against a copy of an earlier dist).
  const main = process.env.TSKERNEL_BENCH_MAIN ?? path.join(ROOT, 'kernel', 'dist', 'cli', 'main.js');
  if (!fs.existsSync(main)) throw new Error('kernel/dist is missing: npm run build first');
  // As `tskernel install` writes it: the kernel's Node flags and environment (common/kernelEnv.ts).
  const { KERNEL_ENV, KERNEL_NODE_FLAGS } = createRequire(import.meta.url)(path.join(ROOT, 'kernel', 'dist', 'common', 'kernelEnv.js'));
  writeSpec('tskernel', {
    argv: [process.execPath, ...KERNEL_NODE_FLAGS, main, 'kernel', '-f', '{connection_file}', '--language', 'typescript'],
    display_name: 'tskernel (TypeScript)',
    language: 'typescript',
    interrupt_mode: 'signal',
    // History is kept as for a user (ipykernel keeps its own too), in a file of the cache rather
    // than the user's.
    env: { ...KERNEL_ENV, TSKERNEL_HISTORY_FILE: path.join(CACHE, 'history.jsonl') },
  });
  writeSpec('deno', {
    argv: [bins.deno, 'jupyter', '--kernel', '--conn', '{connection_file}'],
    display_name: 'Deno',
    language: 'typescript',
    env: { DENO_DIR: path.join(CACHE, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  });
  writeSpec('tslab', { argv: [bins.tslab, 'kernel', '--config-path', '{connection_file}'], display_name: 'tslab', language: 'typescript' });
  writeSpec('ipykernel', { argv: [PYTHON, '-m', 'ipykernel_launcher', '-f', '{connection_file}'], display_name: 'ipykernel', language: 'python' });
}

const ROWS = [
  ['startup_ms', 'launch -> ready (kernel_info)', (r) => r.startup_ms],
  ['trivial', 'trivial cell `1 + 1` -> execute_reply', null],
  ['typed', 'typed 4-line cell -> execute_reply', null],
  ['typed_idle', 'typed 4-line cell -> idle (cell done)', null],
  ['complete', 'complete_request -> reply', null],
  ['inspect', 'inspect_request -> reply', null],
  ['is_complete', 'is_complete_request -> reply', null],
  ['interrupt', 'interrupt a busy loop -> execute_reply', null],
  ['flood', '100k printed lines -> execute_reply', null],
  ['rss_start_mb', 'RSS of the process tree after start (MB)', (r) => r.rss_start_mb],
  ['rss_after_mb', 'RSS after 200 cells + the flood (MB)', (r) => r.rss_after_mb],
];

function cell(r, key, get) {
  if (!r) return { text: '—' };
  if (get) {
    const v = get(r);
    return v === undefined ? { text: r.errors?.[key] ? 'fails' : '—' } : { text: String(v), v };
  }
  const s = r[key];
  if (!s) return { text: r.errors?.[key] ? 'fails' : '—' };
  return { text: `${s.median.toFixed(2)} (${s.p95.toFixed(1)})`, v: s.median };
}

function printTable(result, kernels) {
  const header = ['', ...kernels, 'ts ÷ Deno', 'ts ÷ tslab'];
  const lines = ROWS.map(([key, label, get]) => {
    const cells = kernels.map((k) => cell(result[k], key, get));
    const ts = cells[kernels.indexOf('tskernel')]?.v;
    const ratio = (peer) => {
      const v = cells[kernels.indexOf(peer)]?.v;
      return ts !== undefined && v ? (ts / v).toFixed(2) : '—';
    };
    return [label, ...cells.map((c) => c.text), ratio('deno'), ratio('tslab')];
  });
  const widths = header.map((_, i) => Math.max(...[header, ...lines].map((l) => String(l[i]).length)));
  const fmt = (l) => `| ${l.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  console.log('medians in ms, p95 in brackets; same Python jupyter_client, samples interleaved');
  console.log(fmt(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(fmt(l));
  for (const k of kernels) {
    const r = result[k];
    if (!r) continue;
    const q = r.complete_n
      ? ` complete found the expected name ${r.complete_hits}/${r.complete_n}, inspect found ${r.inspect_found}/${r.inspect_n}, is_complete right ${r.is_complete_right}/${r.is_complete_n}`
      : '';
    console.log(`  ${k}:${q}${r.errors ? `; failed: ${JSON.stringify(r.errors)}` : ''}`);
  }
}

const bins = installPeers();
writeSpecs(bins);
const kernels = ['tskernel', 'deno', 'tslab', 'ipykernel'].filter((k) => !skip.has(k));
log(`driving ${kernels.join(', ')} (${rounds} rounds) in ${notebookDir}`);
fs.mkdirSync(notebookDir, { recursive: true });
const r = spawnSync(PYTHON, [path.join(here, 'peers_driver.py'), '--jupyter-path', JUPYTER, '--rounds', String(rounds), '--interrupts', String(interrupts), ...kernels], {
  cwd: notebookDir,
  stdio: ['ignore', 'pipe', 'inherit'],
  maxBuffer: 64 * 2 ** 20,
  encoding: 'utf8',
});
if (ownNotebookDir) fs.rmSync(notebookDir, { recursive: true, force: true });
if (r.status !== 0) {
  console.error(r.stdout);
  throw new Error(`peers_driver.py failed (${r.status ?? r.signal})`);
}
const result = JSON.parse(r.stdout.trim().split('\n').pop());
printTable(result, kernels);
const out = path.join(here, 'results', 'peers.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, rounds, notebookDir, kernels: result }, null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), out)}`);
