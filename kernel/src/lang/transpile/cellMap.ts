// Source maps of cells: composes the REPL transform's map with the TypeScript transform's (one
// map from the code V8 runs to the cell as written), carries it inside the generated code as an
// inline `sourceMappingURL` comment (so the runner, which only sees the code, can map error
// positions), and maps generated positions back. The debugger reads cell maps from CellFiles
// and skips cell scripts' own map comments.

import { eachMapping, LEAST_UPPER_BOUND, originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';

const INLINE_PREFIX = '//# sourceMappingURL=data:application/json;charset=utf-8;base64,';

export interface Position1 {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function vlq(value: number): string {
  let v = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += B64[digit];
  } while (v > 0);
  return out;
}

/**
 * `outer` maps final code -> intermediate, `inner` intermediate -> source: the result maps final
 * code -> source (segments whose intermediate position has no source are dropped).
 */
export function composeMaps(outer: string, inner: string, sourceName = 'cell'): string {
  const o = new TraceMap(outer);
  const i = new TraceMap(inner);
  const lines: { col: number; line: number; srcCol: number }[][] = [];
  eachMapping(o, (m) => {
    if (m.originalLine === null || m.originalColumn === null) return;
    const p = originalPositionFor(i, { line: m.originalLine, column: m.originalColumn });
    if (p.line === null || p.column === null) return;
    (lines[m.generatedLine - 1] ??= []).push({ col: m.generatedColumn, line: p.line - 1, srcCol: p.column });
  });
  let prevLine = 0;
  let prevSrcCol = 0;
  const groups: string[] = [];
  for (let g = 0; g < lines.length; g++) {
    const segs = (lines[g] ?? []).sort((a, b) => a.col - b.col);
    let prevCol = 0;
    groups.push(
      segs
        .map((s) => {
          const text = vlq(s.col - prevCol) + vlq(0) + vlq(s.line - prevLine) + vlq(s.srcCol - prevSrcCol);
          prevCol = s.col;
          prevLine = s.line;
          prevSrcCol = s.srcCol;
          return text;
        })
        .join(','),
    );
  }
  return JSON.stringify({ version: 3, sources: [sourceName], names: [], mappings: groups.join(';') });
}

/**
 * True when `map` sends every generated position to the same line and column of a source with
 * as many lines as the generated code (the REPL transform only padded `const` to `var  `, or
 * changed nothing): the code needs no map, positions read the same without one.
 */
export function isIdentityMap(map: string, generated: string, source: string): boolean {
  if (lineCount(generated) !== lineCount(source)) return false;
  let identity = true;
  eachMapping(new TraceMap(map), (m) => {
    if (m.originalLine !== null && (m.originalLine !== m.generatedLine || m.originalColumn !== m.generatedColumn)) identity = false;
  });
  return identity;
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export function withInlineMap(code: string, map: string): string {
  return `${code}\n${INLINE_PREFIX}${Buffer.from(map, 'utf8').toString('base64')}`;
}

/** The map a generated cell carries, if any. */
export function inlineMapOf(code: string): string | undefined {
  const at = code.lastIndexOf(INLINE_PREFIX);
  if (at < 0) return undefined;
  return Buffer.from(code.slice(at + INLINE_PREFIX.length).trim(), 'base64').toString('utf8');
}

/** Maps positions of a generated cell back to the cell as written. */
export class CellPositions {
  /** The generated code while its inline map is unread; undefined once read, or when it has none. */
  private code: string | undefined;
  private trace: TraceMap | null = null;

  constructor(code: string) {
    if (code.includes(INLINE_PREFIX)) this.code = code;
  }

  /**
   * Positions of `code`: one shared instance for every cell without an inline map (most cells;
   * the runner keeps one of these per cell it ran, thousands in a long session).
   */
  static of(code: string): CellPositions {
    return code.includes(INLINE_PREFIX) ? new CellPositions(code) : UNMAPPED;
  }

  private map(): TraceMap | null {
    if (this.code !== undefined) {
      const json = inlineMapOf(this.code);
      this.code = undefined;
      try {
        this.trace = json ? new TraceMap(json) : null;
      } catch {
        this.trace = null;
      }
    }
    return this.trace;
  }

  /**
   * The cell position of a generated one (1-based both ways): unchanged when the cell has no map,
   * undefined when the position is in code the transforms added (helpers, the async wrapper).
   */
  original(pos: Position1): Position1 | undefined {
    const m = this.map();
    if (!m) return pos;
    const p = originalPositionFor(m, { line: pos.line, column: pos.column - 1 });
    if (p.line !== null && p.column !== null) return { line: p.line, column: p.column + 1 };
    // A position before the line's first mapped segment: the nearest one after it.
    const after = originalPositionFor(m, { line: pos.line, column: pos.column - 1, bias: LEAST_UPPER_BOUND });
    return after.line !== null && after.column !== null ? { line: after.line, column: after.column + 1 } : undefined;
  }
}

/** The positions of every cell without a map: generated positions are the cell's own. */
const UNMAPPED = new CellPositions('');
