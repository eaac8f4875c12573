// Applies the user's breakpoints to one target: by-URL V8 breakpoints (so a cell that has not run
// yet binds when V8 parses it), lines translated through the cell's source map when the
// transpiler moved code, conditions compiled for V8, and verification reported back through
// `breakpoint` events when V8 resolves them.

import type { Protocol } from 'devtools-protocol';
import type { CellFiles } from '../../common/cellFiles';
import type { CdpClient } from '../../targets/cdpClient';
import { urlRegexFor } from '../scripts';
import { LineMap } from '../sourceMap';
import { compileCondition, resetHitsExpression } from './conditions';
import type { UserBreakpoint } from './model';

interface Applied {
  bp: UserBreakpoint;
  cdpId?: string;
  /** The source map text used to place it ('' = none). */
  mapKey: string;
}

export interface BinderHost {
  cdp: CdpClient;
  cells: CellFiles;
  /** A breakpoint's verification or line changed. */
  changed(bp: UserBreakpoint): void;
}

const mapCache = new Map<string, LineMap>();

export function lineMapFor(map: string | undefined): LineMap | undefined {
  if (!map) return undefined;
  let m = mapCache.get(map);
  if (!m) {
    try {
      m = new LineMap(map);
    } catch {
      return undefined;
    }
    if (mapCache.size > 200) mapCache.clear();
    mapCache.set(map, m);
  }
  return m;
}

export class BreakpointBinder {
  private readonly applied = new Map<number, Applied>();
  private readonly byCdpId = new Map<string, Applied>();

  constructor(private readonly host: BinderHost) {
    host.cdp.on('Debugger.breakpointResolved', (ev) => this.onResolved(ev));
  }

  /** Sets `added` and removes `removed` on the target. */
  async update(added: readonly UserBreakpoint[], removed: readonly UserBreakpoint[]): Promise<void> {
    await Promise.all(removed.map((bp) => this.remove(bp)));
    if (removed.length) await this.host.cdp.send('Runtime.evaluate', { expression: resetHitsExpression(removed.map((b) => String(b.id))), silent: true }).catch(() => undefined);
    await Promise.all(added.map((bp) => this.set(bp)));
  }

  /** Re-places the breakpoints of `path` if its source map changed since they were set. */
  async refreshPath(path: string, bps: readonly UserBreakpoint[]): Promise<void> {
    const mapKey = this.host.cells.get(path)?.map ?? '';
    const stale = bps.filter((bp) => this.applied.get(bp.id)?.mapKey !== mapKey);
    if (!stale.length) return;
    await Promise.all(stale.map((bp) => this.remove(bp)));
    await Promise.all(stale.map((bp) => this.set(bp)));
  }

  async removeAll(): Promise<void> {
    await Promise.all([...this.applied.values()].map((a) => this.remove(a.bp)));
  }

  /** Forget CDP ids without talking to the target (it is gone). */
  reset(): void {
    this.applied.clear();
    this.byCdpId.clear();
  }

  /** The user breakpoint behind a V8 breakpoint id (from `hitBreakpoints`). */
  userBreakpointFor(cdpId: string): UserBreakpoint | undefined {
    return this.byCdpId.get(cdpId)?.bp;
  }

  private async set(bp: UserBreakpoint): Promise<void> {
    const record = this.host.cells.get(bp.path);
    const mapKey = record?.map ?? '';
    const map = lineMapFor(record?.map);
    let line0 = bp.line - 1;
    let col0 = bp.column !== undefined ? bp.column - 1 : undefined;
    if (map) {
      const gen = map.generatedFor(line0);
      if (gen) {
        line0 = gen.line0;
        col0 = gen.col0;
      }
    }
    const compiled = compileCondition(bp, String(bp.id));
    if (compiled.error) {
      bp.verified = false;
      bp.message = compiled.error;
      this.applied.set(bp.id, { bp, mapKey });
      return;
    }
    const entry: Applied = { bp, mapKey };
    this.applied.set(bp.id, entry);
    try {
      const r = await this.host.cdp.send('Debugger.setBreakpointByUrl', {
        urlRegex: urlRegexFor(bp.path),
        lineNumber: line0,
        ...(col0 !== undefined ? { columnNumber: col0 } : {}),
        ...(compiled.condition ? { condition: compiled.condition } : {}),
      });
      entry.cdpId = r.breakpointId;
      this.byCdpId.set(r.breakpointId, entry);
      if (r.locations.length) this.markResolved(entry, r.locations[0], false);
      else if (bp.resolvedLine === undefined) {
        // Not parsed yet: a cell that will run (or a file not loaded yet). It binds by URL later.
        // (A breakpoint another target already resolved, e.g. an attached server's file, stays verified.)
        bp.verified = this.host.cells.isCellPath(bp.path) || !!record;
        bp.message = bp.verified ? undefined : 'The breakpoint will bind when this file is loaded';
      }
    } catch (e) {
      bp.verified = false;
      bp.message = (e as Error).message;
    }
  }

  private async remove(bp: UserBreakpoint): Promise<void> {
    const entry = this.applied.get(bp.id);
    if (!entry) return;
    this.applied.delete(bp.id);
    if (!entry.cdpId) return;
    this.byCdpId.delete(entry.cdpId);
    await this.host.cdp.send('Debugger.removeBreakpoint', { breakpointId: entry.cdpId }).catch(() => undefined);
  }

  private onResolved(ev: Protocol.Debugger.BreakpointResolvedEvent): void {
    const entry = this.byCdpId.get(ev.breakpointId);
    if (entry) this.markResolved(entry, ev.location, true);
  }

  private markResolved(entry: Applied, loc: Protocol.Debugger.Location, notify: boolean): void {
    const { bp } = entry;
    const map = lineMapFor(this.host.cells.get(bp.path)?.map);
    const line1 = map ? (map.originalFor({ line0: loc.lineNumber, col0: loc.columnNumber ?? 0 })?.line0 ?? loc.lineNumber) + 1 : loc.lineNumber + 1;
    const changed = !bp.verified || bp.resolvedLine !== line1 || bp.message !== undefined;
    bp.verified = true;
    bp.resolvedLine = line1;
    bp.message = undefined;
    if (notify && changed) this.host.changed(bp);
  }
}
