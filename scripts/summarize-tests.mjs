// Adds up jest JSON results, pytest JUnit XML, the browser run's log and the quality gates
// (NAME.gate: "passed"/"failed", one check each, written by scripts/test.sh) in a folder, and prints one closing line:
// "N passed, N failed, N skipped". Exits non-zero when anything failed or nothing ran.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
let passed = 0,
  failed = 0,
  skipped = 0;
const flaky = [];
for (const f of readdirSync(dir, { withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => e.name)) {
  const text = readFileSync(join(dir, f), 'utf8');
  if (f.endsWith('.json')) {
    const r = JSON.parse(text);
    passed += r.numPassedTests;
    failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    // Passed only on jest's retry (test/helpers/retryOnce.ts).
    for (const suite of r.testResults ?? []) for (const t of suite.assertionResults ?? []) if (t.status === 'passed' && t.retryReasons?.length) flaky.push(t.fullName);
  } else if (f.endsWith('.log')) {
    // Browser scenarios: their runner's own closing line.
    const m = [...text.matchAll(/^(\d+) passed, (\d+) failed/gm)].at(-1);
    if (m) {
      passed += Number(m[1]);
      failed += Number(m[2]);
    } else failed += 1; // the run never reached its summary
  } else if (f.endsWith('.gate')) {
    // typecheck / lint: its output is beside it in NAME.out.
    if (text.trim() === 'passed') passed += 1;
    else {
      failed += 1;
      console.log(`${f.slice(0, -'.gate'.length)} failed: see ${join(dir, f.replace(/\.gate$/, '.out'))}`);
    }
  } else if (f.endsWith('.xml')) {
    for (const m of text.matchAll(/<testsuite\b[^>]*>/g)) {
      const attr = (n) => Number(new RegExp(`\\b${n}="(\\d+)"`).exec(m[0])?.[1] ?? 0);
      const total = attr('tests'),
        errors = attr('errors'),
        failures = attr('failures'),
        skips = attr('skipped');
      passed += total - errors - failures - skips;
      failed += errors + failures;
      skipped += skips;
    }
  }
}
for (const name of flaky) console.log(`flaky (passed on retry): ${name}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped${flaky.length ? ` (${flaky.length} flaky)` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
