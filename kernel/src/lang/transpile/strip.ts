// TypeScript -> JavaScript for cells and local .ts modules. First choice: amaro (the SWC-based
// stripper Node itself vendors) in strip-only mode, which blanks types and keeps every line and
// column. For local modules, code that needs a real transform (enums, namespaces, parameter
// properties) goes through amaro's transform mode and comes back with a source map; cells ask
// for strip-only (`strictStrip`) and use the TypeScript transform instead (tsTransform.ts).

import { setFlagsFromString } from 'node:v8';
import { CellSyntaxError } from './syntaxError';

export interface StripResult {
  code: string;
  /** Source map v3 JSON, only when a transform moved code. */
  map?: string;
}

interface Amaro {
  transformSync(code: string, opts: { mode: 'strip-only' | 'transform'; sourceMap?: boolean; filename?: string }): { code: string; map?: string };
}

let amaro: Amaro | undefined;
let baselineOnly = false;
function load(): Amaro {
  if (!amaro) {
    // V8's baseline WebAssembly compiler only (Liftoff), when the process asked for it: the flag
    // applies to modules compiled after it is set, so it goes before SWC's module is loaded.
    if (baselineOnly) setFlagsFromString('--liftoff-only');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    amaro = require('amaro') as Amaro;
  }
  return amaro;
}

/**
 * Keeps the stripper's WebAssembly (SWC, 2.6 MB) on V8's baseline compiler. For the kernel
 * process, which strips every cell: TurboFan's optimized copy of the hot functions grew the
 * process by ~35 MB over its first thousand cells, kept for its life, to save ~0.05 ms per cell
 * (a 10-line cell strips in 0.2 ms either way). Not for the runner: its flag would also slow the
 * user's own WebAssembly.
 */
export function keepStripperOnBaselineCompiler(): void {
  baselineOnly = true;
}

/** Loads the stripper ahead of the first cell so the first TypeScript cell is not slower. */
export function warmUpStripper(): void {
  load().transformSync('let a: number = 1;', { mode: 'strip-only' });
}

const NEEDS_TRANSFORM = /not supported in strip-only mode/;

export function stripTypes(code: string, filename = 'cell.ts', opts: { strictStrip?: boolean } = {}): StripResult {
  const a = load();
  try {
    return { code: a.transformSync(code, { mode: 'strip-only', filename }).code };
  } catch (e) {
    const text = amaroMessage(e);
    if (opts.strictStrip || !NEEDS_TRANSFORM.test(text)) throw toSyntaxError(text);
    try {
      const out = a.transformSync(code, { mode: 'transform', sourceMap: true, filename });
      return { code: out.code, map: out.map };
    } catch (e2) {
      throw toSyntaxError(amaroMessage(e2));
    }
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
