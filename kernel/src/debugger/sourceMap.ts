// Minimal source map v3 reader for the kernel's own cell maps (generated JS -> cell source):
// decodes the VLQ `mappings` and answers both directions by line, which is all breakpoints and
// stack frames need. Positions here are 0-based; callers convert at the DAP edge.

export interface Position0 {
  line0: number;
  col0: number;
}

interface Segment {
  genLine: number;
  genCol: number;
  srcLine: number;
  srcCol: number;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** Decodes one mappings line group into [genCol, src, srcLine, srcCol, name?] deltas. */
export function decodeVlq(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = B64_INDEX.get(ch);
    if (digit === undefined) throw new Error(`invalid base64 VLQ character '${ch}'`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

export class LineMap {
  /** Segments sorted by generated position. */
  private readonly segments: Segment[] = [];
  /** Segments sorted by original position. */
  private readonly bySource: Segment[];

  constructor(mapJson: string) {
    const map = JSON.parse(mapJson) as { mappings?: unknown };
    if (typeof map.mappings !== 'string') throw new Error('source map has no mappings');
    let srcLine = 0;
    let srcCol = 0;
    let src = 0;
    map.mappings.split(';').forEach((lineText, genLine) => {
      let genCol = 0;
      for (const segText of lineText.split(',')) {
        if (!segText) continue;
        const f = decodeVlq(segText);
        genCol += f[0];
        if (f.length < 4) continue;
        src += f[1];
        srcLine += f[2];
        srcCol += f[3];
        if (src === 0) this.segments.push({ genLine, genCol, srcLine, srcCol });
      }
    });
    this.bySource = [...this.segments].sort((a, b) => a.srcLine - b.srcLine || a.srcCol - b.srcCol || a.genLine - b.genLine || a.genCol - b.genCol);
  }

  /** Original position of a generated one: greatest segment at or before it on the same line, else the first after. */
  originalFor(pos: Position0): Position0 | undefined {
    let best: Segment | undefined;
    let after: Segment | undefined;
    for (const s of this.segments) {
      if (s.genLine !== pos.line0) continue;
      if (s.genCol <= pos.col0) best = s;
      else if (!after) after = s;
    }
    const s = best ?? after;
    return s && { line0: s.srcLine, col0: s.srcCol };
  }

  /** Earliest generated position for an original line; lines without code snap to the next line that has some. */
  generatedFor(line0: number): Position0 | undefined {
    const first = this.bySource.find((s) => s.srcLine >= line0);
    if (!first) return undefined;
    const sameLine = this.segments.filter((s) => s.srcLine === first.srcLine);
    const s = sameLine[0];
    return { line0: s.genLine, col0: s.genCol };
  }
}
