// The kernel's own cell maps (generated JS -> cell source), answered both directions by line, which
// is all breakpoints and stack frames need; trace-mapping decodes them. Positions here are 0-based;
// callers convert at the DAP edge.

import { decodedMappings, TraceMap } from '@jridgewell/trace-mapping';

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

export class LineMap {
  /** Segments sorted by generated position. */
  private readonly segments: Segment[] = [];
  /** Segments sorted by original position. */
  private readonly bySource: Segment[];

  constructor(mapJson: string) {
    const map = JSON.parse(mapJson) as { mappings?: unknown };
    if (typeof map.mappings !== 'string') throw new Error('source map has no mappings');
    // Decoding is trace-mapping's; only segments into the first source (the cell) are kept.
    decodedMappings(new TraceMap(mapJson)).forEach((line, genLine) => {
      for (const seg of line) {
        if (seg.length === 1 || seg[1] !== 0) continue;
        this.segments.push({ genLine, genCol: seg[0], srcLine: seg[2], srcCol: seg[3] });
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
