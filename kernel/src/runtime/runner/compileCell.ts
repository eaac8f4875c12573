// Compiles a cell's JavaScript as a vm.Script without entering it in V8's compilation cache. The
// cache keeps every script compiled from a new source text (the text, its function infos and
// bytecode; ~0.7 kB for `x = 1`) for the life of the process, to skip compiling the same text
// again. A notebook runs most cell texts once: over 10,000 cells it kept ~7 MB in the runner for
// nothing (bench/memory.mjs). The flag is off only around this compile (V8 reads it at each cache
// lookup), so `eval` and `new Function` in user code keep their cache; it costs ~6 µs per cell.

import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** False when the user's Node options turned the cache off: then it stays off. */
const CACHE_ON = !/--no[-_]compilation[-_]cache\b/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`);

export function compileCell(code: string, filename: string): vm.Script {
  if (!CACHE_ON) return new vm.Script(code, { filename });
  v8.setFlagsFromString('--no-compilation-cache');
  try {
    return new vm.Script(code, { filename });
  } finally {
    v8.setFlagsFromString('--compilation-cache');
  }
}
