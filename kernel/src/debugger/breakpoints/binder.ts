// Applies the user's breakpoints to one target: by-URL V8 breakpoints (so a cell that has not run
// yet binds when V8 parses it), lines translated through the cell's source map when the
// transpiler moved code or through a loaded script's source map when the path is an original
// file (an attached server's .ts), conditions compiled for V8, and verification reported back
// through `breakpoint` events when V8 resolves them.

import type { Protocol } from 'devtools-protocol';
import type { CellFiles } from '../../common/cellFiles';
import type { CdpClient } from '../../targets/cdpClient';
import type { ScriptMaps } from '../scriptMaps';
import { urlRegexFor, urlToPath } from '../scripts';
import { LineMap } from '../sourceMap';
import { compileCondition, resetHitsExpression } from './conditions';
import type { UserBreakpoint } from './model';

interface Applied {
  bp: UserBreakpoint;
  cdpIds: string[];
  /** What placed it (cell map text or mapped script ids; '' = none): re-placed when it changes. */
  mapKey: string;
}

/** Where V8 breakpoints go for one user breakpoint. */
interface Placement {
  mapKey: string;
  locations: { urlRegex: string; line0: number; col0?: number }[];
}

export interface BinderDeps {
  cdp: CdpClient;
  cells: CellFiles;
  /** Source maps of the target's own (non-cell) scripts. */
  maps: ScriptMaps;
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

  constructor(private readonly deps: BinderDeps) {
    deps.cdp.on('Debugger.breakpointResolved', (ev) => this.onResolved(ev));
  }

  /** Sets `added` and removes `removed` on the target. */
  async update(added: readonly UserBreakpoint[], removed: readonly UserBreakpoint[]): Promise<void> {
    await Promise.all(removed.map((bp) => this.remove(bp)));
    if (removed.length) await this.deps.cdp.send('Runtime.evaluate', { expression: resetHitsExpression(removed.map((b) => String(b.id))), silent: true }).catch(() => undefined);
    await Promise.all(added.map((bp) => this.set(bp)));
  }

  /** Re-places the breakpoints of `path` if its source map changed since they were set. */
  async refreshPath(path: string, bps: readonly UserBreakpoint[]): Promise<void> {
    const mapKey = this.mapKeyFor(path);
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

  private mapKeyFor(path: string): string {
    const cellMap = this.deps.cells.get(path)?.map;
    if (cellMap) return cellMap;
    const scripts = this.deps.maps.keyFor(path);
    return scripts ? `scripts:${scripts}` : '';
  }

  private placementFor(bp: UserBreakpoint): Placement {
    const line0 = bp.line - 1;
    const col0 = bp.column !== undefined ? bp.column - 1 : undefined;
    const mapKey = this.mapKeyFor(bp.path);
    const cellMap = lineMapFor(this.deps.cells.get(bp.path)?.map);
    if (cellMap) {
      const gen = cellMap.generatedFor(line0);
      return { mapKey, locations: [gen ? { urlRegex: urlRegexFor(bp.path), ...gen } : { urlRegex: urlRegexFor(bp.path), line0, col0 }] };
    }
    if (this.deps.maps.isMappedSource(bp.path)) {
      const seen = new Set<string>();
      const locations: Placement['locations'] = [];
      for (const g of this.deps.maps.generatedFor(bp.path, line0, col0)) {
        const key = `${g.url}:${g.line0}:${g.col0}`;
        if (seen.has(key)) continue;
        seen.add(key);
        locations.push({ urlRegex: urlRegexFor(urlToPath(g.url) ?? g.url), line0: g.line0, col0: g.col0 });
      }
      return { mapKey, locations };
    }
    return { mapKey, locations: [{ urlRegex: urlRegexFor(bp.path), line0, col0 }] };
  }

  private async set(bp: UserBreakpoint): Promise<void> {
    if (!this.deps.cells.get(bp.path) && !this.deps.cells.isCellPath(bp.path)) await this.deps.maps.predict(bp.path);
    const placement = this.placementFor(bp);
    const compiled = compileCondition(bp, String(bp.id));
    const entry: Applied = { bp, cdpIds: [], mapKey: placement.mapKey };
    this.applied.set(bp.id, entry);
    if (compiled.error) {
      bp.verified = false;
      bp.message = compiled.error;
      return;
    }
    try {
      let resolved = false;
      for (const loc of placement.locations) {
        const r = await this.deps.cdp.send('Debugger.setBreakpointByUrl', {
          urlRegex: loc.urlRegex,
          lineNumber: loc.line0,
          ...(loc.col0 !== undefined ? { columnNumber: loc.col0 } : {}),
          ...(compiled.condition ? { condition: compiled.condition } : {}),
        });
        entry.cdpIds.push(r.breakpointId);
        this.byCdpId.set(r.breakpointId, entry);
        if (r.locations.length && !resolved) {
          resolved = true;
          this.markResolved(entry, r.locations[0], false);
        }
      }
      if (!resolved && bp.resolvedLine === undefined) {
        // Not parsed yet: a cell that will run (or a file not loaded yet). It binds by URL later.
        // (A breakpoint another target already resolved, e.g. an attached server's file, stays verified.)
        bp.verified = this.deps.cells.isCellPath(bp.path) || !!this.deps.cells.get(bp.path);
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
    for (const id of entry.cdpIds) this.byCdpId.delete(id);
    await Promise.all(entry.cdpIds.map((breakpointId) => this.deps.cdp.send('Debugger.removeBreakpoint', { breakpointId }).catch(() => undefined)));
  }

  private onResolved(ev: Protocol.Debugger.BreakpointResolvedEvent): void {
    const entry = this.byCdpId.get(ev.breakpointId);
    if (entry) this.markResolved(entry, ev.location, true);
  }

  private markResolved(entry: Applied, loc: Protocol.Debugger.Location, notify: boolean): void {
    const { bp } = entry;
    const map = lineMapFor(this.deps.cells.get(bp.path)?.map);
    const original = map ? undefined : this.deps.maps.originalFor(loc.scriptId, loc.lineNumber, loc.columnNumber ?? 0);
    const line1 = map ? (map.originalFor({ line0: loc.lineNumber, col0: loc.columnNumber ?? 0 })?.line0 ?? loc.lineNumber) + 1 : original?.path === bp.path ? original.line0 + 1 : loc.lineNumber + 1;
    const changed = !bp.verified || bp.resolvedLine !== line1 || bp.message !== undefined;
    bp.verified = true;
    bp.resolvedLine = line1;
    bp.message = undefined;
    if (notify && changed) this.deps.changed(bp);
  }
}
