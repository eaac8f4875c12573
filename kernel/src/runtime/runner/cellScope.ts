// What a cell script reaches through CELL_HELPER (see lang/transpile/names.ts): `import.meta`
// for the cell's notional file in the notebook folder (a vm script is not a module and has none),
// and the resources of top-level `using` / `await using` declarations, disposed in reverse order
// when the cell ends (its last expression evaluated, its top-level awaits settled). Also reserves
// the names of TypeScript's emit helpers, so the helpers a transformed cell defines are not
// listed among the user's variables.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CELL_HELPER } from '../../lang/transpile/names';

interface Resource {
  value: unknown;
  dispose: () => unknown;
  async: boolean;
}

let stack: Resource[] = [];

function using(value: unknown, isAsync: boolean): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value !== 'object' && typeof value !== 'function') throw new TypeError('using: the value must be an object with [Symbol.dispose]() (or null/undefined)');
  const v = value as Record<symbol, unknown>;
  let dispose = isAsync ? v[Symbol.asyncDispose] : undefined;
  if (dispose === undefined) dispose = v[Symbol.dispose];
  if (typeof dispose !== 'function') throw new TypeError(`using: the value has no [Symbol.${isAsync ? 'asyncDispose' : 'dispose'}]() method`);
  const fn = dispose as (this: unknown) => unknown;
  stack.push({ value, dispose: () => fn.call(value), async: isAsync });
  return value;
}

/** Disposes what the cell's top-level `using` declarations registered (last first). */
export async function disposeCellResources(cellError?: { error: unknown }): Promise<void> {
  const resources = stack;
  stack = [];
  let failure = cellError;
  for (const r of resources.reverse()) {
    try {
      const out = r.dispose();
      if (r.async) await out;
    } catch (e) {
      failure = failure ? { error: suppressed(e, failure.error) } : { error: e };
    }
  }
  if (failure && failure !== cellError) throw failure.error;
}

function suppressed(error: unknown, earlier: unknown): Error {
  const e = new Error('An error was suppressed during disposal.') as Error & { error: unknown; suppressed: unknown };
  e.name = 'SuppressedError';
  e.error = error;
  e.suppressed = earlier;
  return e;
}

export function hasCellResources(): boolean {
  return stack.length > 0;
}

/** Helpers TypeScript emits for ES2022 (decorators, `using`); a cell's `var __esDecorate = ...` reuses the slot. */
const TS_HELPERS = ['__esDecorate', '__runInitializers', '__setFunctionName', '__propKey', '__addDisposableResource', '__disposeResources'];

/** Installs the helper; `notebookDir` is the folder cells resolve imports from. */
export function installCellScope(notebookDir: string): void {
  // The same notional file as the `__filename` cells see.
  const filename = path.join(notebookDir, '[notebook]');
  const meta = Object.freeze({ url: pathToFileURL(filename).href, filename, dirname: notebookDir });
  for (const name of TS_HELPERS) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value: undefined, writable: true, enumerable: false, configurable: true });
  }
  Object.defineProperty(globalThis, CELL_HELPER, { value: Object.freeze({ meta, using }), enumerable: false, configurable: false, writable: false });
}
