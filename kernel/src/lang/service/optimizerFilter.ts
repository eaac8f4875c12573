// Keeps V8's optimizing compiler (TurboFan) away from TypeScript's `createTypeChecker`. Every
// program update builds a new checker, so that function soon counts as hot and TurboFan
// optimizes it: ~2 s of CPU on a background thread (on a 2-core machine, taken from the kernel
// and the runner during a burst of cells) and a ~110 MB peak of compiler memory, which the C
// allocator then keeps (the kernel's RSS grew by up to 128 MB over 1,000 cells). The function
// only creates the checker's closures, so the optimized copy saves nothing measurable (1,000
// checked cells: 29.4 s CPU with it, 27.3 s without). V8 flags are per process; this one names
// only that function, which nothing but TypeScript's checker has.

import { setFlagsFromString } from 'node:v8';

export function keepCheckerFactoryUnoptimized(): void {
  setFlagsFromString('--turbo-filter=-createTypeChecker');
}
