// Turns JavaScript values into Jupyter MIME bundles: `text/plain` like Node's util.inspect
// (no ANSI colours), objects that implement the `Symbol.for("Jupyter.display")` convention
// return their own bundle, and explicit bundles pass through.

import * as util from 'node:util';
import type { MimeBundle } from '../protocol';
import { cleanInspected } from './errors';
import { ijavascriptData } from './compat/results';

export const DISPLAY_SYMBOL = Symbol.for('Jupyter.display');

export function inspectPlain(value: unknown): string {
  // Errors inside the value (an Error, a rejected promise) show cell labels, not kernel frames.
  return cleanInspected(util.inspect(value, { colors: false, depth: 4, maxArrayLength: 100, maxStringLength: 10000, breakLength: 100 }));
}

/** A value's MIME bundle, as an `execute_result` or `display_data` would carry it. */
export function mimeBundle(value: unknown): MimeBundle {
  if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
    const fn = (value as Record<PropertyKey, unknown>)[DISPLAY_SYMBOL];
    if (typeof fn === 'function') {
      const out = fn.call(value) as unknown;
      if (out && typeof out === 'object') {
        const bundle = normalizeBundle(out as Record<string, unknown>);
        if (!('text/plain' in bundle.data)) bundle.data['text/plain'] = inspectPlain(value);
        return bundle;
      }
    }
    // IJavascript's `_toHtml()`, `_toMime()`, ... (compat/results.ts).
    const ijs = ijavascriptData(value);
    if (ijs) return { data: { 'text/plain': inspectPlain(value), ...ijs }, metadata: {} };
  }
  return { data: { 'text/plain': inspectPlain(value) }, metadata: {} };
}

/**
 * Accepts either `{data, metadata}` or a bare `{mime: value}` object and returns a bundle with
 * string/JSON values.
 */
export function normalizeBundle(obj: Record<string, unknown>): MimeBundle {
  const hasData = obj.data && typeof obj.data === 'object' && !Array.isArray(obj.data);
  const data = { ...(hasData ? (obj.data as Record<string, unknown>) : obj) };
  const metadata = hasData && obj.metadata && typeof obj.metadata === 'object' ? { ...(obj.metadata as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(data)) {
    if (Buffer.isBuffer(v) || v instanceof Uint8Array) data[k] = Buffer.from(v).toString('base64');
  }
  return { data, metadata };
}

export function looksLikeMimeBundle(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v.constructor === Object && 'data' in v ? ((v as { data: object }).data ?? {}) : v);
  return keys.length > 0 && keys.every((k) => /^[a-z]+\/[-+.\w]+$/i.test(k));
}
