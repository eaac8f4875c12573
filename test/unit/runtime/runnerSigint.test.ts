// The runner's SIGINT disposition (runner/sigint.ts): a SIGINT stops a `breakOnSigint` run and
// never kills the process, however it is timed against the runs' starts and ends. Checked in a
// child process that loads the built module and runs short cells back to back while one of its
// threads sends it a SIGINT every millisecond (with Node's default handling the process died
// within the first three signals), with and without a SIGINT listener of the cells' own.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const SIGINT_MODULE = path.resolve(__dirname, '..', '..', '..', 'kernel', 'dist', 'runtime', 'runner', 'sigint.js');

const probe = `
  const vm = require('node:vm');
  const { Worker } = require('node:worker_threads');
  const { keepSigintFromKillingRunner, interruptListeners } = require(${JSON.stringify(SIGINT_MODULE)});
  const how = keepSigintFromKillingRunner();
  const hammer = new Worker("setInterval(() => process.kill(process.pid, 'SIGINT'), 1)", { eval: true });
  const cell = new vm.Script('{ let x = 0; for (let i = 0; i < 2000; i++) x += i; }');
  const counts = { ok: 0, interrupted: 0, other: [] };
  const runFor = (ms) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      try {
        cell.runInThisContext({ breakOnSigint: true });
        counts.ok++;
      } catch (e) {
        if (e.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') counts.interrupted++;
        else counts.other.push(String(e));
      }
    }
  };
  const idle = (ms) => new Promise((r) => setTimeout(r, ms));
  hammer.once('online', async () => {
    runFor(1000);
    await idle(200); // awaiting: the signals are ignored
    // A cell's own listener: the same, and it hears what the runner passes on, not the raw signals.
    let heard = 0;
    const listener = (name) => (heard += name === 'SIGINT' ? 1 : 100);
    process.on('SIGINT', listener);
    runFor(500);
    await idle(100);
    const heardRaw = heard;
    interruptListeners();
    await new Promise((r) => setImmediate(r));
    const heardPassed = heard - heardRaw;
    process.removeListener('SIGINT', listener);
    runFor(300);
    await hammer.terminate();
    console.log(JSON.stringify({ how, heardRaw, heardPassed, ...counts }));
  });
`;

(process.platform === 'linux' ? test : test.skip)('SIGINTs every millisecond across short vm runs interrupt them and never kill the process', () => {
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', timeout: 30_000 });
  expect({ signal: r.signal, status: r.status, stderr: r.stderr }).toEqual({ signal: null, status: 0, stderr: '' });
  const out = JSON.parse(r.stdout) as { how: string; heardRaw: number; heardPassed: number; ok: number; interrupted: number; other: string[] };
  expect(out.how).toBe('kept-watchdog');
  expect(out.other).toEqual([]);
  expect(out.interrupted).toBeGreaterThan(100);
  expect(out.ok).toBeGreaterThan(out.interrupted);
  expect({ heardRaw: out.heardRaw, heardPassed: out.heardPassed }).toEqual({ heardRaw: 0, heardPassed: 1 });
});

// Where Node's `newListener` handler is not the one sigint.ts knows (another Node), the kept
// watchdog steps aside while cells have SIGINT listeners (Node's own handling), and is kept again
// once they are gone.
const steppingAsideProbe = `
  const vm = require('node:vm');
  const { Worker } = require('node:worker_threads');
  const nodes = process.listeners('newListener').find((l) => l.name === 'startListeningIfSignal');
  process.removeListener('newListener', nodes);
  process.prependListener('newListener', (...args) => nodes.apply(process, args)); // unnamed: not found
  const how = require(${JSON.stringify(SIGINT_MODULE)}).keepSigintFromKillingRunner();
  const cell = new vm.Script('{ let x = 0; for (let i = 0; i < 2000; i++) x += i; }');
  let interrupted = 0;
  const runFor = (ms) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      try { cell.runInThisContext({ breakOnSigint: true }); } catch (e) { if (e.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') interrupted++; else throw e; }
    }
  };
  const hammering = () => new Promise((r) => {
    const w = new Worker("setInterval(() => process.kill(process.pid, 'SIGINT'), 1)", { eval: true });
    w.once('online', () => r(w));
  });
  (async () => {
    let w = await hammering();
    runFor(700);
    await w.terminate();
    let heard = 0;
    const listener = () => heard++;
    process.on('SIGINT', listener);
    const alive = setInterval(() => undefined, 1000); // signal handles do not keep the loop alive
    const got = new Promise((r) => process.once('SIGINT', r));
    process.kill(process.pid, 'SIGINT');
    await got;
    clearInterval(alive);
    process.removeListener('SIGINT', listener);
    w = await hammering();
    runFor(700);
    await w.terminate();
    console.log(JSON.stringify({ how, heard, interrupted }));
  })();
`;

(process.platform === 'linux' ? test : test.skip)('where Node differs, the kept watchdog steps aside for a SIGINT listener and is back after it', () => {
  const r = spawnSync(process.execPath, ['-e', steppingAsideProbe], { encoding: 'utf8', timeout: 30_000 });
  expect({ signal: r.signal, status: r.status, stderr: r.stderr }).toEqual({ signal: null, status: 0, stderr: '' });
  const out = JSON.parse(r.stdout) as { how: string; heard: number; interrupted: number };
  expect(out.how).toBe('kept-watchdog-stepping-aside');
  expect(out.heard).toBe(1);
  expect(out.interrupted).toBeGreaterThan(100);
});
