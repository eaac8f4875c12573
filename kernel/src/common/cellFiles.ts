// Cell file naming shared by the runtime (script filenames), the debugger (dumpCell, stack frames,
// breakpoints, debugInfo) and error tracebacks: prefix + murmur2(utf8(code), seed) + suffix,
// byte for byte what JupyterLab computes from debugInfo. Also remembers every executed cell.

import * as os from 'node:os';
import * as path from 'node:path';
import { murmur2 } from './murmur2';

/** ipykernel's seed; JupyterLab takes whatever debugInfo reports. */
export const HASH_SEED = 0xc70f6907;

export interface CellRecord {
  /** The cell path (also the script URL V8 reports). */
  path: string;
  /** The raw cell source as the frontend sent it (TypeScript or JavaScript). */
  source: string;
  /**
   * Column (0-based, line 1) where the REPL transform's async wrapper function starts in the
   * compiled JavaScript, for cells with top-level await (the debugger shows that frame as the cell).
   */
  wrapperColumn?: number;
  /** Source map (v3 JSON) from generated positions to `source`, when a transform moved code. */
  map?: string;
  /** Execution count of the latest run of this code, if it ran. */
  executionCount?: number;
}

export class CellFiles {
  readonly prefix: string;
  readonly suffix: string;
  readonly seed = HASH_SEED;
  private readonly cells = new Map<string, CellRecord>();
  private readonly recordListeners = new Set<(rec: CellRecord) => void>();

  /**
   * The directory name contains `ipykernel_` on purpose: JupyterLab (>= 4.5) labels call-stack
   * frames and breakpoints "Cell [n]" only for paths containing that substring.
   */
  constructor(language: 'typescript' | 'javascript', pid = process.pid, tmp = os.tmpdir()) {
    this.prefix = path.join(tmp, `tskernel_ipykernel_${pid}`) + path.sep;
    this.suffix = language === 'typescript' ? '.ts' : '.js';
  }

  pathFor(code: string): string {
    return this.prefix + String(murmur2(code, this.seed)) + this.suffix;
  }

  isCellPath(p: string): boolean {
    return p.startsWith(this.prefix) && p.endsWith(this.suffix);
  }

  /** Records (or replaces) what is known about a cell path. */
  record(rec: CellRecord): void {
    const old = this.cells.get(rec.path);
    // Fields given (even as undefined) replace the old ones. Built with all five fields in one
    // literal: a spread copy got the fifth in a separate property store (40 more bytes for each of
    // the thousands of cells a long session keeps).
    const merged: CellRecord = {
      path: rec.path,
      source: rec.source,
      wrapperColumn: 'wrapperColumn' in rec ? rec.wrapperColumn : old?.wrapperColumn,
      map: 'map' in rec ? rec.map : old?.map,
      executionCount: 'executionCount' in rec ? rec.executionCount : old?.executionCount,
    };
    this.cells.set(rec.path, merged);
    for (const l of this.recordListeners) l(merged);
  }

  /** Called after every record (the debugger re-places breakpoints when a cell's source map appears). */
  onRecord(listener: (rec: CellRecord) => void): () => void {
    this.recordListeners.add(listener);
    return () => this.recordListeners.delete(listener);
  }

  get(p: string): CellRecord | undefined {
    return this.cells.get(p);
  }

  all(): CellRecord[] {
    return [...this.cells.values()];
  }
}
