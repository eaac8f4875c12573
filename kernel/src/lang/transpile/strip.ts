// TypeScript -> JavaScript for cells and local .ts modules. First choice: blanking the types
// (blankTypes.ts), which keeps every line and column. Code that needs a real transform (enums,
// namespaces, parameter properties) is reported to cells (`strictStrip`), which use the
// TypeScript transform (tsTransform.ts); local modules go through amaro's transform mode (SWC as
// WebAssembly, loaded only then) and come back with a source map.

import { blankTypes, NeedsTransform } from './blankTypes';
import { CellSyntaxError } from './syntaxError';

export interface StripResult {
  code: string;
  /** Source map v3 JSON, only when a transform moved code. */
  map?: string;
}

interface Amaro {
  transformSync(code: string, opts: { mode: 'transform'; sourceMap: boolean; filename: string }): { code: string; map?: string };
}

let amaro: Amaro | undefined;

/**
 * `code` without its types. Throws CellSyntaxError for invalid code, and NeedsTransform (with
 * `strictStrip`) for code that blanking cannot run.
 */
export function stripTypes(code: string, filename = 'cell.ts', opts: { strictStrip?: boolean } = {}): StripResult {
  try {
    return { code: blankTypes(code) };
  } catch (e) {
    if (!(e instanceof NeedsTransform) || opts.strictStrip) throw e;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    amaro ??= require('amaro') as Amaro;
    const out = amaro.transformSync(code, { mode: 'transform', sourceMap: true, filename });
    return { code: out.code, map: out.map };
  } catch (e) {
    throw toSyntaxError(amaroMessage(e));
  }
}

function amaroMessage(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** amaro reports errors as SWC diagnostics: "  x message\n   ,-[L:C]\n ...". */
function toSyntaxError(text: string): CellSyntaxError {
  const msg = /x (.+)/.exec(text)?.[1]?.trim() ?? text.trim();
  // The caret under the code line gives the position: " 1 | let y = ;" then "   :         ^".
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    const m = /^\s*(\d+) \|/.exec(lines[i]);
    const caretAt = lines[i + 1].indexOf('^');
    if (m && caretAt >= 0 && /^\s*:/.test(lines[i + 1])) {
      const codeStart = lines[i].indexOf('|') + 2;
      return new CellSyntaxError(msg, Number(m[1]), Math.max(1, caretAt - codeStart + 1));
    }
  }
  const pos = /,-\[(?:[^\]]*:)?(\d+):(\d+)\]/.exec(text);
  return new CellSyntaxError(msg, pos ? Number(pos[1]) : undefined, pos ? Number(pos[2]) : undefined);
}
