// Small functions that run inside the debuggee (via Runtime.callFunctionOn / evaluate). They are
// real, type-checked functions turned into source with Function.prototype.toString, so they must
// not reference anything outside themselves. Each returns a fresh null-prototype "holder" object
// whose own properties the adapter then reads with one Runtime.getProperties: a slice of a huge
// array costs what a small one does.

/** The runner's contract, as seen from inside the debuggee. */
interface RunnerHelpers {
  userGlobalNames?: () => string[];
  mimeBundle?: (value: unknown) => unknown;
}

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

/** Symbol.for key of the holder's previews (a JSON string of `[name, preview]` pairs). */
export const GLOBALS_PREVIEWS_KEY = 'tskernel.globalsPreviews';

/**
 * Holder of the user's globals: names from the runner's `userGlobalNames()` (globalThis keys minus
 * the startup baseline and kernel helpers) plus script-scope `let/const/class` names. Own
 * properties of globalThis are copied as descriptors, so getters are not run. With `preview`
 * (previewValues), the previews of the values come along under a Symbol-keyed string property,
 * which saves the adapter a round trip.
 */
export function userGlobalsHolder(lexicalNames: string[], preview?: (...values: unknown[]) => string[]): Record<PropertyKey, unknown> {
  const out: Record<PropertyKey, unknown> = Object.create(null);
  const g = globalThis as unknown as Record<PropertyKey, unknown>;
  const runner = g[Symbol.for('tskernel.runner')] as RunnerHelpers | undefined;
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
  if (typeof preview === 'function') {
    const names: string[] = [];
    const values: unknown[] = [];
    for (const n of Object.keys(out)) {
      const d = Object.getOwnPropertyDescriptor(out, n);
      if (d && 'value' in d && typeof d.value === 'object' && d.value !== null) {
        names.push(n);
        values.push(d.value);
      }
    }
    let bodies: string[] = [];
    try {
      bodies = preview(...values);
    } catch {
      bodies = [];
    }
    // The key must match GLOBALS_PREVIEWS_KEY (this function runs as source text in the debuggee).
    out[Symbol.for('tskernel.globalsPreviews')] = JSON.stringify(names.map((n, i) => [n, bodies[i] ?? '']));
  }
  return out;
}

/** The runner's MIME bundle for a value (same machinery as cell output), or a plain-text fallback. */
export function mimeBundleOf(value: unknown): string {
  const runner = (globalThis as unknown as Record<PropertyKey, unknown>)[Symbol.for('tskernel.runner')] as RunnerHelpers | undefined;
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

/**
 * One-line previews of values, computed in the debuggee with a fixed budget: V8's own previews
 * enumerate every key (about 100 ms for a 1e6-element array). Never runs getters or toString;
 * returns '' for values it leaves to the adapter.
 */
export function previewValues(...values: unknown[]): string[] {
  const MAX = 5;
  const own = Object.prototype.hasOwnProperty;
  const ctorName = (o: object): string => {
    try {
      const p = Object.getPrototypeOf(o);
      if (p === null) return 'Object';
      const d = Object.getOwnPropertyDescriptor(p, 'constructor');
      return d && typeof d.value === 'function' && d.value.name ? d.value.name : 'Object';
    } catch {
      return 'Object';
    }
  };
  const quote = (s: string): string => "'" + (s.length > 50 ? s.slice(0, 50) + '…' : s).replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n') + "'";
  const short = (v: unknown): string => {
    switch (typeof v) {
      case 'string':
        return quote(v);
      case 'bigint':
        return v + 'n';
      case 'symbol':
        return v.toString();
      case 'function':
        return 'ƒ';
      case 'object': {
        if (v === null) return 'null';
        if (Array.isArray(v)) return `Array(${v.length})`;
        if (v instanceof Map || v instanceof Set) return `${ctorName(v)}(${v.size})`;
        const n = ctorName(v);
        return n === 'Object' ? '{…}' : n;
      }
      default:
        return Object.is(v, -0) ? '-0' : String(v);
    }
  };
  const key = (k: string): string => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k));
  const body = (o: unknown): string => {
    if (typeof o !== 'object' || o === null) return '';
    try {
      if (Array.isArray(o) || (ArrayBuffer.isView(o) && !(o instanceof DataView))) {
        const a = o as ArrayLike<unknown>;
        const items: string[] = [];
        for (let i = 0; i < Math.min(a.length, MAX); i++) items.push(i in (a as object) ? short(a[i]) : 'empty');
        return `[${items.join(', ')}${a.length > MAX ? ', …' : ''}]`;
      }
      if (o instanceof Map || o instanceof Set) {
        const items: string[] = [];
        for (const e of o instanceof Map ? o.entries() : o.values()) {
          if (items.length >= MAX) break;
          items.push(o instanceof Map ? `${short((e as [unknown, unknown])[0])} => ${short((e as [unknown, unknown])[1])}` : short(e));
        }
        return `{${items.join(', ')}${o.size > MAX ? ', …' : ''}}`;
      }
      if (o instanceof Date || o instanceof RegExp || o instanceof Error || o instanceof Promise || o instanceof WeakMap || o instanceof WeakSet) return '';
      const items: string[] = [];
      let more = false;
      for (const k in o) {
        if (!own.call(o, k)) continue;
        if (items.length >= MAX) {
          more = true;
          break;
        }
        const d = Object.getOwnPropertyDescriptor(o, k);
        items.push(`${key(k)}: ${d && 'value' in d ? short(d.value) : '(...)'}`);
      }
      return `{${items.join(', ')}${more ? ', …' : ''}}`;
    } catch {
      return '';
    }
  };
  return values.map(body);
}
