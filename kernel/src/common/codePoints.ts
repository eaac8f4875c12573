// Jupyter protocol 5.x counts cursor positions in unicode code points; JavaScript strings and the
// TypeScript compiler count UTF-16 code units. These helpers convert between the two (an emoji is
// one code point but two code units) and clamp out-of-range positions to the text.

/** Code-point offset → UTF-16 offset, clamped to [0, text.length]. */
export function codePointToUtf16(text: string, cp: number): number {
  if (!Number.isFinite(cp) || cp <= 0) return 0;
  let units = 0;
  let points = 0;
  while (units < text.length && points < cp) {
    const c = text.charCodeAt(units);
    units += c >= 0xd800 && c <= 0xdbff && units + 1 < text.length && isLowSurrogate(text.charCodeAt(units + 1)) ? 2 : 1;
    points++;
  }
  return units;
}

/** UTF-16 offset → code-point offset, clamped to the text. */
export function utf16ToCodePoint(text: string, offset: number): number {
  const end = Math.max(0, Math.min(offset, text.length));
  let points = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end && isLowSurrogate(text.charCodeAt(i + 1))) i++;
    points++;
  }
  return points;
}

/** Number of code points in a string. */
export function codePointLength(text: string): number {
  return utf16ToCodePoint(text, text.length);
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
