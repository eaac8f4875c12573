// Language-service benchmark: start-up (first completion, first type report), type-check latency
// on a warm notebook (each cell checked, then added, as the kernel does), completion, hover and
// is_complete latency, the RSS the service adds, RSS growth over many small executed cells (each
// checked, then added: superseded cells must leave the program) and the needsTypeCheck scan.
// Uses the built kernel (npm run build first).
// Prints a table and writes bench/results/lang.json.

import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// The service runs in this process: measure it with malloc set up as the installed kernel has it
// (the kernelspec's environment, common/kernelEnv.ts; glibc reads it only at start, so re-run with it set).
const { KERNEL_ENV } = createRequire(import.meta.url)(path.join(here, '..', 'kernel', 'dist', 'common', 'kernelEnv.js'));
if (Object.keys(KERNEL_ENV).some((name) => process.env[name] === undefined)) {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env: { ...KERNEL_ENV, ...process.env } });
  process.exit(r.status ?? 1);
}
const require = createRequire(import.meta.url);
const { LanguageService, needsTypeCheck } = require(path.join(here, '..', 'kernel', 'dist', 'lang', 'service.js'));

const CELLS = Number(process.env.LANG_BENCH_CELLS ?? 40);
const ROUNDS = Number(process.env.LANG_BENCH_ROUNDS ?? 60);
/** Small cells (`const v${i % 10} = ${i}`) checked and added for the RSS growth measurement. */
const GROWTH_CELLS = Number(process.env.LANG_BENCH_GROWTH_CELLS ?? 10000);

function notebookDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tskernel-langbench-'));
  const pkg = path.join(dir, 'node_modules', 'esm-pkg');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'esm-pkg', type: 'module', exports: { '.': { types: './index.d.ts', import: './index.js' } } }));
  fs.writeFileSync(path.join(pkg, 'index.js'), 'export const add = (a, b) => a + b;\n');
  fs.writeFileSync(path.join(pkg, 'index.d.ts'), '/** Adds. */\nexport declare function add(a: number, b: number): number;\n');
  return dir;
}

/** A typical 4-line notebook cell; `i` makes every cell's text distinct. */
function cell(i) {
  switch (i % 4) {
    case 0:
      return `interface Row${i} { id: number; name: string }\nconst rows${i}: Row${i}[] = [{ id: ${i}, name: "r" }];\nconst names${i} = rows${i}.map((r) => r.name.toUpperCase());\nconsole.log(names${i}.length);`;
    case 1:
      return `function f${i}(x: number): number {\n  return x * ${i};\n}\nconst y${i} = f${i}(2) + add(1, 2);`;
    case 2:
      return `const m${i} = new Map<string, number>();\nfor (const k of ["a", "b"]) m${i}.set(k, ${i});\nconst total${i} = [...m${i}.values()].reduce((a, b) => a + b, 0);\ntotal${i}.toFixed(1);`;
    default:
      return `let count${i} = ${i};\ncount${i} += await Promise.resolve(1);\nconst s${i} = \`n=\${count${i}}\`;\ns${i}.padStart(4);`;
  }
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), max: s[s.length - 1], n: s.length };
};
const ms = (t) => Number(t.toFixed(2));

async function main() {
  const dir = notebookDir();
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const ls = new LanguageService({ language: 'typescript', notebookDir: dir });
  ls.warmUp();
  const first = await ls.complete('console.lo', 10);
  const firstCompletionMs = performance.now() - t0;
  if (!first.matches.includes('log')) throw new Error('first completion missing console.log');
  await ls.check('const warm: number = 1;');
  const fullReadyMs = performance.now() - t0;

  ls.addCell('import { add } from "esm-pkg";', 1);
  // Interactive use: the user writes the next cell while the worker takes in the last one.
  // Run All: the next cell's check arrives right after the previous cell was added.
  const checks = [];
  const backToBack = [];
  let errors = 0;
  for (let i = 0; i < CELLS; i++) {
    const code = cell(i);
    await ls.idle();
    let t = performance.now();
    errors += (await ls.check(code)).length;
    checks.push(performance.now() - t);
    ls.addCell(code, 2 * i + 2);
    const next = cell(i + 1000);
    t = performance.now();
    errors += (await ls.check(next)).length;
    backToBack.push(performance.now() - t);
    ls.addCell(next, 2 * i + 3);
  }
  if (errors) throw new Error(`unexpected diagnostics in benchmark cells: ${errors}`);
  const badCheck = await ls.check('f1("x");');
  if (badCheck.length !== 1) throw new Error('expected one diagnostic');

  const completions = [];
  const hovers = [];
  const isCompletes = [];
  for (let i = 0; i < ROUNDS; i++) {
    const prefix = `// ${i}\n`;
    const cases = [`${prefix}names0.le`, `${prefix}f1(2).toFi`, `${prefix}total2.toP`, `${prefix}pro`, `${prefix}rows4[0].na`];
    const code = cases[i % cases.length];
    let t = performance.now();
    const r = await ls.complete(code, Array.from(code).length);
    completions.push(performance.now() - t);
    if (r.matches.length === 0) throw new Error(`no completion for ${JSON.stringify(code)}`);
    const hoverCode = `${prefix}f1(3) + total2 + count3`;
    t = performance.now();
    const h = await ls.inspect(hoverCode, prefix.length + 1, 0);
    hovers.push(performance.now() - t);
    if (!h.found) throw new Error('hover not found');
    t = performance.now();
    await ls.isComplete(`${prefix}function g() {\n  if (x) {`);
    isCompletes.push(performance.now() - t);
  }
  global.gc?.();
  const rssAddedMb = (process.memoryUsage().rss - rss0) / 2 ** 20;
  await ls.dispose();

  // RSS growth over many small cells, as bench/core.mjs runs them through the kernel. The first
  // tenth warms the heap to its steady size; growth is measured over the rest (scaled to the whole).
  const growthLs = new LanguageService({ language: 'typescript', notebookDir: dir });
  await growthLs.check('const warm = 1;');
  const growthChecks = [];
  const warmup = Math.floor(GROWTH_CELLS / 10);
  let rssBefore = 0;
  for (let i = 0; i < GROWTH_CELLS; i++) {
    if (i === warmup) (global.gc?.(), (rssBefore = process.memoryUsage().rss));
    const code = `const v${i % 10} = ${i}`;
    const t = performance.now();
    await growthLs.check(code);
    growthChecks.push(performance.now() - t);
    growthLs.addCell(code, i + 1);
  }
  await growthLs.idle();
  global.gc?.();
  const growthMb = GROWTH_CELLS > warmup ? (((process.memoryUsage().rss - rssBefore) / 2 ** 20) * GROWTH_CELLS) / (GROWTH_CELLS - warmup) : 0;
  await growthLs.dispose();

  const scanCases = ['1 + 1', '"a" + 2', '// note', '%time', 'console.log(x)', 'const a = 1;\nconst b = a * 2;'];
  const scanRuns = 20000;
  const t = performance.now();
  for (let i = 0; i < scanRuns; i++) needsTypeCheck(scanCases[i % scanCases.length]);
  const needsTypeCheckUs = ((performance.now() - t) * 1000) / scanRuns;
  fs.rmSync(dir, { recursive: true, force: true });

  const result = {
    node: process.version,
    cells: CELLS,
    firstCompletionMs: ms(firstCompletionMs),
    fullProgramReadyMs: ms(fullReadyMs),
    checkMs: Object.fromEntries(Object.entries(stats(checks)).map(([k, v]) => [k, ms(v)])),
    checkBackToBackMs: Object.fromEntries(Object.entries(stats(backToBack)).map(([k, v]) => [k, ms(v)])),
    completionMs: Object.fromEntries(Object.entries(stats(completions)).map(([k, v]) => [k, ms(v)])),
    hoverMs: Object.fromEntries(Object.entries(stats(hovers)).map(([k, v]) => [k, ms(v)])),
    isCompleteMs: Object.fromEntries(Object.entries(stats(isCompletes)).map(([k, v]) => [k, ms(v)])),
    rssAddedMb: Number(rssAddedMb.toFixed(1)),
    growthCells: GROWTH_CELLS,
    rssGrowthMb: Number(growthMb.toFixed(1)),
    growthCheckMs: Object.fromEntries(Object.entries(stats(growthChecks.length ? growthChecks : [0])).map(([k, v]) => [k, ms(v)])),
    needsTypeCheckUs: Number(needsTypeCheckUs.toFixed(2)),
    targets: { checkMs: 30, completionMedianMs: 20, hoverMedianMs: 20, firstCompletionMs: 1000, rssGrowthMb: 20 },
  };
  const rows = [
    ['first completion after start', `${result.firstCompletionMs} ms`, '≤ 1000 ms'],
    ['full program (first type report) after start', `${result.fullProgramReadyMs} ms`, ''],
    [`type check, warm (${2 * CELLS} cells) median / p95`, `${result.checkMs.median} / ${result.checkMs.p95} ms`, '≤ 30 ms'],
    ['type check right after the previous cell (Run All)', `${result.checkBackToBackMs.median} / ${result.checkBackToBackMs.p95} ms`, ''],
    ['completion median / p95', `${result.completionMs.median} / ${result.completionMs.p95} ms`, '≤ 20 ms median'],
    ['hover median / p95', `${result.hoverMs.median} / ${result.hoverMs.p95} ms`, '≤ 20 ms median'],
    ['is_complete median', `${result.isCompleteMs.median} ms`, ''],
    ['RSS added', `${result.rssAddedMb} MB`, 'report'],
    [`RSS growth over ${GROWTH_CELLS} small cells (check + add)`, `${result.rssGrowthMb} MB`, '< 20 MB'],
    ['  their check median / p95', `${result.growthCheckMs.median} / ${result.growthCheckMs.p95} ms`, ''],
    ['needsTypeCheck scan', `${result.needsTypeCheckUs} µs`, ''],
  ];
  const w = rows.reduce((a, r) => Math.max(a, r[0].length), 0);
  const v = rows.reduce((a, r) => Math.max(a, r[1].length), 0);
  console.log(`language service (${process.version})`);
  for (const [name, value, target] of rows) console.log(`  ${name.padEnd(w)}  ${value.padStart(v)}  ${target}`);
  const out = path.join(here, 'results', 'lang.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
