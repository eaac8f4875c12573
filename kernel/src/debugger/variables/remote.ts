// Small functions that run inside the debuggee (via Runtime.callFunctionOn / evaluate). They are
// real, type-checked functions turned into source with Function.prototype.toString, so they must
// not reference anything outside themselves. Each returns a fresh null-prototype "holder" object
// whose own properties the adapter then reads with one Runtime.getProperties: a slice of a huge
// array costs what a small one does.

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Elements [start, end) of an array-like as holder properties named by index. */
export function arraySlice(this: ArrayLike<unknown>, start: number, end: number): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  const stop = Math.min(end, this.length);
  for (let i = start; i < stop; i++) out[i] = this[i];
  return out;
}

/** Entries [start, end) of a Map (k<i>/v<i>) or Set (v<i>) as holder properties. */
export function collectionSlice(this: unknown, start: number, end: number): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  let isMap = true;
  let iter: Iterable<unknown>;
  try {
    iter = Map.prototype.entries.call(this as Map<unknown, unknown>);
  } catch {
    isMap = false;
    iter = Set.prototype.values.call(this as Set<unknown>);
  }
  let i = 0;
  for (const e of iter) {
    if (i >= end) break;
    if (i >= start) {
      if (isMap) {
        out['k' + i] = (e as [unknown, unknown])[0];
        out['v' + i] = (e as [unknown, unknown])[1];
      } else out['v' + i] = e;
    }
    i++;
  }
  return out;
}

/** Calls a getter with the owner as `this`. */
export function invokeGetter(this: unknown, getter: () => unknown): unknown {
  return getter.call(this);
}

/** Assigns `this[name] = value` and returns the stored value. */
export function assignProperty(this: Record<string, unknown>, name: string, value: unknown): unknown {
  this[name] = value;
  return this[name];
}

/**
 * Holder of the user's globals: names from the runner's `userGlobalNames()` (globalThis keys minus
 * the startup baseline and kernel helpers) plus script-scope `let/const/class` names. Own
 * properties of globalThis are copied as descriptors, so getters are not run.
 */
export function userGlobalsHolder(lexicalNames: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  const g = globalThis as any;
  const runner = g[Symbol.for('tskernel.runner')];
  let names: string[] = [];
  try {
    if (runner && typeof runner.userGlobalNames === 'function') names = runner.userGlobalNames();
  } catch {
    names = [];
  }
  for (const n of names) {
    const d = Object.getOwnPropertyDescriptor(g, n);
    if (d) Object.defineProperty(out, n, { ...d, enumerable: true, configurable: true });
  }
  for (const n of lexicalNames) {
    if (n in out) continue;
    try {
      out[n] = (0, eval)(n);
    } catch {
      /* in its temporal dead zone */
    }
  }
  return out;
}

/** The runner's MIME bundle for a value (same machinery as cell output), or a plain-text fallback. */
export function mimeBundleOf(value: unknown): string {
  const runner = (globalThis as any)[Symbol.for('tskernel.runner')];
  let bundle: unknown;
  try {
    if (runner && typeof runner.mimeBundle === 'function') bundle = runner.mimeBundle(value);
  } catch (e) {
    bundle = { data: { 'text/plain': String((e as Error)?.message ?? e) }, metadata: {} };
  }
  if (!bundle) {
    let text: string;
    try {
      text = typeof value === 'string' ? `'${value}'` : String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
    bundle = { data: { 'text/plain': text }, metadata: {} };
  }
  return JSON.stringify(bundle);
}

/** Source text of one of these functions, for callFunctionOn. */
export function fn(f: (...args: never[]) => unknown): string {
  return f.toString();
}
