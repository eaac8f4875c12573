// Where the identifier being typed starts: the span a completion replaces. No compiler needed, so
// the main thread can use it when the worker cannot answer.

const ID_CHAR = /[\p{ID_Continue}$\u200c\u200d]/u;

/** Start (UTF-16) of the identifier, or partial identifier, that ends at `pos`. */
export function identifierStart(code: string, pos: number): number {
  let i = Math.max(0, Math.min(pos, code.length));
  while (i > 0) {
    const c = code.charCodeAt(i - 1);
    // Astral identifier characters (rare) are two code units; check the pair as one character.
    const ch = c >= 0xdc00 && c <= 0xdfff && i > 1 ? code.slice(i - 2, i) : code[i - 1];
    if (!ID_CHAR.test(ch)) break;
    i -= ch.length;
  }
  return i;
}
