// The breakpoints the user asked for, per source path, independent of any target: stable DAP ids,
// DAP full-replacement semantics with diffing (an unchanged breakpoint keeps its id and its V8
// breakpoint, so re-sent lists are idempotent and logpoints never double-log), and the
// verification state reported back to the client.

import type { DebugProtocol } from '@vscode/debugprotocol';

export interface UserBreakpoint {
  readonly id: number;
  readonly path: string;
  /** 1-based line as requested. */
  readonly line: number;
  readonly column?: number;
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
  /** Where V8 actually put it (1-based, in the source the user sees), once resolved. */
  resolvedLine?: number;
  verified: boolean;
  /** Why it is not verified (shown by clients). */
  message?: string;
}

export interface BreakpointDiff {
  /** The new list, in request order (kept ones are the same objects as before). */
  list: UserBreakpoint[];
  added: UserBreakpoint[];
  removed: UserBreakpoint[];
}

function sameOptions(a: UserBreakpoint, b: DebugProtocol.SourceBreakpoint): boolean {
  return (
    a.line === b.line &&
    (a.column ?? 0) === (b.column ?? 0) &&
    (a.condition ?? '') === (b.condition ?? '') &&
    (a.hitCondition ?? '') === (b.hitCondition ?? '') &&
    (a.logMessage ?? '') === (b.logMessage ?? '')
  );
}

export class BreakpointModel {
  private nextId = 1;
  private readonly byPath = new Map<string, UserBreakpoint[]>();

  /** Replaces the list for `path` with `requested`, reusing equivalent existing breakpoints. */
  replace(path: string, requested: DebugProtocol.SourceBreakpoint[]): BreakpointDiff {
    const old = [...(this.byPath.get(path) ?? [])];
    const list: UserBreakpoint[] = [];
    const added: UserBreakpoint[] = [];
    for (const req of requested) {
      const i = old.findIndex((b) => sameOptions(b, req));
      if (i >= 0) {
        list.push(old[i]);
        old.splice(i, 1);
        continue;
      }
      const bp: UserBreakpoint = {
        id: this.nextId++,
        path,
        line: req.line,
        column: req.column,
        condition: req.condition || undefined,
        hitCondition: req.hitCondition || undefined,
        logMessage: req.logMessage || undefined,
        verified: false,
      };
      list.push(bp);
      added.push(bp);
    }
    if (list.length) this.byPath.set(path, list);
    else this.byPath.delete(path);
    return { list, added, removed: old };
  }

  forPath(path: string): readonly UserBreakpoint[] {
    return this.byPath.get(path) ?? [];
  }

  all(): UserBreakpoint[] {
    return [...this.byPath.values()].flat();
  }

  paths(): string[] {
    return [...this.byPath.keys()];
  }

  byId(id: number): UserBreakpoint | undefined {
    return this.all().find((b) => b.id === id);
  }

  clear(): UserBreakpoint[] {
    const all = this.all();
    this.byPath.clear();
    return all;
  }

  /** The DAP view of a breakpoint. */
  static toDap(bp: UserBreakpoint): DebugProtocol.Breakpoint {
    return {
      id: bp.id,
      verified: bp.verified,
      line: bp.resolvedLine ?? bp.line,
      ...(bp.column !== undefined ? { column: bp.column } : {}),
      source: { path: bp.path },
      ...(bp.message ? { message: bp.message } : {}),
    };
  }
}
