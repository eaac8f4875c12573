// The compiler worker keeps TurboFan away from TypeScript's checker factory (optimizerFilter.ts):
// optimizing it cost ~2 s of CPU and ~110 MB of RSS the C allocator kept. The worker's compiler is
// a minified copy where the function has another name, so it is marked by reference. Checked in
// the built worker's set-up with a lower interrupt budget (an unmarked factory starts to be optimized after ~210 checks, not ~1,000):
// TypeScript's createProgram, called as often, does get optimized, the factory does not.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const DIST = path.resolve(__dirname, '..', '..', '..', 'kernel', 'dist');
/** V8's optimization status bits: optimized, TurboFanned, marked (2 kinds), optimizing concurrently. */
const OPTIMIZING = (1 << 4) | (1 << 6) | (1 << 8) | (1 << 9) | (1 << 10);

test('after 300 checks the checker factory is not optimized, createProgram is', () => {
  const nb = fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-opt-'));
  const probe = `
    require(${JSON.stringify(path.join(DIST, 'lang', 'service', 'loadCompiler.js'))});
    const ts = require('typescript');
    const { Engine } = require(${JSON.stringify(path.join(DIST, 'lang', 'service', 'engine.js'))});
    const e = new Engine({ notebookDir: ${JSON.stringify(nb)}, language: 'typescript', cells: [] });
    e.warm();
    while (e.stepStart());
    for (let i = 0; i < 300; i++) {
      e.check('const a' + i + ': number = ' + i);
      e.addCell('const a' + i + ': number = ' + i, i + 1);
    }
    require('v8').setFlagsFromString('--allow-natives-syntax');
    const status = new Function('f', 'return %GetOptimizationStatus(f)');
    console.log(JSON.stringify({ file: require.cache[require.resolve('typescript')].filename, checker: status(ts.createTypeChecker), program: status(ts.createProgram) }));
  `;
  try {
    const r = spawnSync(process.execPath, ['--interrupt-budget=4000', '-e', probe], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { file: string; checker: number; program: number };
    expect(out.file).toBe(path.join(DIST, 'vendor', 'typescript.js'));
    expect(out.program & OPTIMIZING).not.toBe(0);
    expect(out.checker & OPTIMIZING).toBe(0);
  } finally {
    fs.rmSync(nb, { recursive: true, force: true });
  }
});

test('no function to mark (a TypeScript without createTypeChecker): the process lives on', () => {
  const probe = `
    require(${JSON.stringify(path.join(DIST, 'lang', 'service', 'optimizerFilter.js'))}).keepCheckerFactoryUnoptimized(undefined);
    console.log('alive');
  `;
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  expect({ status: r.status, signal: r.signal, stdout: r.stdout.trim() }).toEqual({ status: 0, signal: null, stdout: 'alive' });
});
