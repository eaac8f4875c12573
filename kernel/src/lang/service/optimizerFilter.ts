// Keeps V8's optimizing compiler (TurboFan) away from TypeScript's `createTypeChecker`. Every
// program update builds a new checker, so that function soon counts as hot and TurboFan
// optimizes it: ~2 s of CPU on a background thread (on a 2-core machine, taken from the kernel
// and the runner during a burst of cells) and a ~110 MB peak of compiler memory, which the C
// allocator then keeps (the kernel's RSS grew by up to 128 MB over 1,000 cells). The function
// only creates the checker's closures, so the optimized copy saves nothing measurable (1,000
// checked cells: 29.4 s CPU with it, 27.3 s without). The function is marked by reference
// (V8's %NeverOptimizeFunction, with natives syntax allowed only while that one call is
// compiled and run), not by name: the minified compiler (../typescriptModule.ts) renames it.
// Should that fail, a filter by name (process-wide) covers the package's own file.

import { setFlagsFromString } from 'node:v8';

/** Marks `createTypeChecker` (the function itself, e.g. `ts.createTypeChecker`) never to be optimized. */
export function keepCheckerFactoryUnoptimized(createTypeChecker: unknown): void {
  // V8 aborts the whole process when %NeverOptimizeFunction gets anything but a function (a
  // TypeScript that no longer exports it, say): then only the name filter.
  if (typeof createTypeChecker !== 'function') {
    setFlagsFromString('--turbo-filter=-createTypeChecker');
    return;
  }
  try {
    setFlagsFromString('--allow-natives-syntax');
    try {
      const neverOptimize = new Function('f', '%NeverOptimizeFunction(f);') as (f: unknown) => void;
      neverOptimize(createTypeChecker);
    } finally {
      setFlagsFromString('--no-allow-natives-syntax');
    }
  } catch {
    setFlagsFromString('--turbo-filter=-createTypeChecker');
  }
}
