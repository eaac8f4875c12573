// Cells are compiled without V8's compilation cache (runner/compileCell.ts): what a run of 5,000
// distinct cells leaves on the runner's heap, measured after full GCs in a child process that
// loads the built module (through the cache: ~680 B per cell).

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const MODULE = path.resolve(__dirname, '..', '..', '..', 'kernel', 'dist', 'runtime', 'runner', 'compileCell.js');

const probe = `
  const { compileUncached } = require(${JSON.stringify(MODULE)});
  const run = (from, n) => {
    for (let i = from; i < from + n; i++) compileUncached(String(i), '/nb/cell-' + i + '.ts').runInThisContext();
  };
  const heap = () => { for (let k = 0; k < 4; k++) gc(); return process.memoryUsage().heapUsed; };
  run(0, 1000);
  const before = heap();
  run(100000, 5000);
  console.log(JSON.stringify({ perCell: (heap() - before) / 5000 }));
`;

test('5,000 distinct cells leave almost nothing on the heap once run', () => {
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', probe], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout) as { perCell: number };
  expect(out.perCell).toBeLessThan(150);
});
