// IJavascript's result convention: a cell result with `_toMime()` (a MIME bundle) or any of
// `_toHtml/_toSvg/_toPng/_toJpeg()` (one representation each) is shown with those types, as
// IJavascript showed it. Plain objects without them are left to the normal formatting.

const METHODS: ReadonlyArray<readonly [string, string]> = [
  ['_toHtml', 'text/html'],
  ['_toSvg', 'image/svg+xml'],
  ['_toPng', 'image/png'],
  ['_toJpeg', 'image/jpeg'],
];

/** The MIME data an IJavascript-style result gives for itself, or undefined when it has none. */
export function ijavascriptData(value: object): Record<string, unknown> | undefined {
  const v = value as Record<string, unknown>;
  if (typeof v._toMime === 'function') {
    const out = (v._toMime as () => unknown).call(value);
    if (out && typeof out === 'object' && !Array.isArray(out)) return { ...(out as Record<string, unknown>) };
  }
  let data: Record<string, unknown> | undefined;
  for (const [method, mime] of METHODS) {
    const fn = v[method];
    if (typeof fn === 'function') (data ??= {})[mime] = (fn as () => unknown).call(value);
  }
  return data;
}
