// Compiles a cell's JavaScript into the vm.Script the runner runs, without V8's compilation cache.
//
// The cache's entry for a script outlives the script: ~680 B per cell, kept through every GC
// (6.8 MB of the runner's heap over 10,000 cells), for code that is hardly ever compiled twice.
// The cache is turned off for the cell's compile only (a flag flip, ~6 µs for the pair), so the
// code cells run (`eval`, `new Function`, regular expressions) keeps it; unless the user turned it
// off for the whole process.

import * as v8 from 'node:v8';
import * as vm from 'node:vm';

const cacheOffByUser = /--no[-_]compilation[-_]cache\b/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`);

export function compileUncached(code: string, filename: string): vm.Script {
  if (cacheOffByUser) return new vm.Script(code, { filename });
  v8.setFlagsFromString('--no-compilation-cache');
  try {
    return new vm.Script(code, { filename });
  } finally {
    v8.setFlagsFromString('--compilation-cache');
  }
}
