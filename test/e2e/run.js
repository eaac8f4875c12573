#!/usr/bin/env node
// Runs the JupyterLab browser scenarios against a running server.
//   LAB_URL=http://127.0.0.1:PORT LAB_TOKEN=... node test/e2e/run.js [S1 S2 S4]
// Screenshots and DAP traces go to test-artifacts/e2e/; timings to bench/results/lab.json.
// Last line: "N passed, N failed".
'use strict';
const fs = require('fs');
const path = require('path');
const { launch } = require('./lib/browser');
const { Lab } = require('./lib/lab');
const SCENARIOS = require('./scenarios');

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = process.env.E2E_ARTIFACTS || path.join(ROOT, 'test-artifacts', 'e2e');
const RESULTS = process.env.E2E_RESULTS || path.join(ROOT, 'bench', 'results', 'lab.json');
const BASE = process.env.LAB_URL;
const TOKEN = process.env.LAB_TOKEN;
const SCENARIO_TIMEOUT_MS = Number(process.env.E2E_SCENARIO_TIMEOUT_MS || 120000);

async function main() {
  if (!BASE || !TOKEN) {
    console.error('set LAB_URL and LAB_TOKEN (scripts/e2e.sh does)');
    process.exit(2);
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(SCENARIOS).filter((n) => !SCENARIOS[n].optional);
  const context = await launch();
  const results = [];
  for (const name of names) {
    const sc = SCENARIOS[name];
    if (!sc) throw new Error(`unknown scenario ${name}`);
    const lab = new Lab({ context, baseUrl: BASE, token: TOKEN, artifacts: ARTIFACTS, name });
    const metrics = {};
    const started = Date.now();
    let error = null;
    let timer;
    try {
      await Promise.race([
        sc.run(lab, metrics),
        new Promise((_, rej) => {
          timer = setTimeout(() => rej(new Error(`scenario timed out after ${SCENARIO_TIMEOUT_MS} ms`)), SCENARIO_TIMEOUT_MS);
        }),
      ]);
      if (lab.errors.length) throw new Error(`browser console errors:\n  ${lab.errors.join('\n  ')}`);
    } catch (e) {
      error = e;
      if (lab.page) await lab.screenshot('failure').catch(() => {});
    } finally {
      clearTimeout(timer);
    }
    lab.saveTrace();
    if (lab.page) await lab.page.close().catch(() => {});
    await lab.shutdownKernels();
    const ms = Date.now() - started;
    const warnings = metrics.warnings || [];
    delete metrics.warnings;
    results.push({ name, title: sc.title, ok: !error, ms, metrics, warnings, error: error ? String(error.stack || error) : undefined });
    const m = Object.entries(metrics)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    console.log(`${error ? 'FAIL' : 'ok  '} ${name} ${sc.title} (${ms} ms)${m ? ` ${m}` : ''}`);
    for (const w of warnings) console.log(`     warning: ${w}`);
    if (error)
      console.log(
        `     ${String(error.stack || error)
          .split('\n')
          .join('\n     ')}`,
      );
  }
  await context.close();
  // bench/results/lab.json keeps the latest result of every scenario (a partial run replaces
  // only the scenarios it ran).
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  let previous = [];
  try {
    previous = JSON.parse(fs.readFileSync(RESULTS, 'utf8')).scenarios || [];
  } catch {}
  const date = new Date().toISOString();
  const fresh = results.map(({ name, ok, ms, metrics, warnings }) => ({ name, date, ok, ms, ...metrics, ...(warnings.length ? { warnings } : {}) }));
  const merged = [...previous.filter((p) => !names.includes(p.name)), ...fresh].sort((a, b) => a.name.localeCompare(b.name));
  fs.writeFileSync(
    RESULTS,
    JSON.stringify(
      {
        description: 'JupyterLab 4.5 browser e2e timings (test/e2e, scripts/e2e.sh); milliseconds',
        jupyterlab: '4.5.11',
        node: process.version,
        scenarios: merged,
      },
      null,
      2,
    ) + '\n',
  );
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
