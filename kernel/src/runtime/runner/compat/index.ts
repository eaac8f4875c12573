// Globals that let notebooks written for other kernels run unchanged: IJavascript's `$$` (always
// there: a name no library tests for) and Deno's `Deno` (only once a cell mentions it). tslab's
// module and `npm:` specifiers are handled where imports resolve (imports.ts).

import { createDeno } from './deno';
import { $$ } from './ijavascript';

export const COMPAT_GLOBALS = ['$$', 'Deno'];

const define = (name: string, value: unknown): void => {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
};

export function installCompatGlobals(): void {
  define('$$', $$);
}

let denoInstalled = false;

/** Before a cell runs: give it `Deno` if it names it (and no cell or library defined one). */
export function prepareCompat(source: string): void {
  if (denoInstalled || !/\bDeno\b/.test(source)) return;
  denoInstalled = true;
  if (!('Deno' in globalThis)) define('Deno', createDeno());
}
