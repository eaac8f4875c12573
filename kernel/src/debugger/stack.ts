// Builds the DAP call stack from a V8 pause: host frames (node internals, the kernel's runner,
// our own evaluations) are hidden; cell frames are pathed by their cell file and mapped through
// the cell's source map; frames in a file with a source map (an attached server compiled from
// TypeScript) show the original file and line; a cell's top level is exactly one frame named
// `<cell>` (for async cells the transpiler's wrapper function and the script's top level collapse
// into it).

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Protocol } from 'devtools-protocol';
import type { CellFiles } from '../common/cellFiles';
import { lineMapFor } from './breakpoints/binder';
import type { ScriptMaps } from './scriptMaps';
import { urlToPath, type ScriptInfo, type ScriptRegistry } from './scripts';

export interface FrameInfo {
  id: number;
  callFrame: Protocol.Debugger.CallFrame;
  script?: ScriptInfo;
  /** The cell's top level: its locals are the notebook's globals. */
  topLevel: boolean;
  dap: DebugProtocol.StackFrame;
}

export const CELL_FRAME_NAME = '<cell>';

let nextFrameId = 1;

function isScriptTop(cf: Protocol.Debugger.CallFrame): boolean {
  return cf.functionName === '' && !cf.scopeChain.some((s) => s.type === 'local');
}

/** The REPL transform's async wrapper (`(async () => { ` on line 1, at `wrapperColumn` of its cell record). */
export function isAsyncCellWrapper(cf: Protocol.Debugger.CallFrame, wrapperColumn: number | undefined): boolean {
  if (cf.functionName !== '' || wrapperColumn === undefined || !cf.functionLocation) return false;
  return cf.functionLocation.lineNumber === 0 && (cf.functionLocation.columnNumber ?? 0) === wrapperColumn;
}

/** UI path and (1-based) line and column of a generated location in a script. */
function uiLocation(cells: CellFiles, maps: ScriptMaps, script: ScriptInfo | undefined, loc: Protocol.Debugger.Location): { path?: string; line: number; column: number } {
  const path = script?.path;
  const map = path ? lineMapFor(cells.get(path)?.map) : undefined;
  if (map) {
    const o = map.originalFor({ line0: loc.lineNumber, col0: loc.columnNumber ?? 0 });
    if (o) return { path, line: o.line0 + 1, column: o.col0 + 1 };
  } else if (maps.hasMap(loc.scriptId)) {
    const o = maps.originalFor(loc.scriptId, loc.lineNumber, loc.columnNumber ?? 0);
    if (o) return { path: o.path, line: o.line0 + 1, column: o.col0 + 1 };
  }
  return { path, line: loc.lineNumber + 1, column: (loc.columnNumber ?? 0) + 1 };
}

/**
 * The async parents of a pause (`await` chains, timers, promise callbacks, as V8 records them once
 * async stacks are on): a label per hop ("await", "setTimeout", …) then its visible frames, mapped
 * like the synchronous ones. These frames have no scopes (V8 keeps no variables for them).
 */
export function buildAsyncFrames(
  trace: Protocol.Runtime.StackTrace | undefined,
  sync: FrameInfo[],
  scripts: ScriptRegistry,
  cells: CellFiles,
  maps: ScriptMaps,
  limit = MAX_ASYNC_FRAMES,
): DebugProtocol.StackFrame[] {
  const out: DebugProtocol.StackFrame[] = [];
  // A cell's top level is one frame: when the pause shows it already, its async re-appearances
  // (the REPL wrapper awaited by the runner) are dropped.
  const topLevels = new Set(sync.filter((f) => f.topLevel).map((f) => f.dap.source?.path));
  for (let t = trace; t && out.length < limit; t = t.parent) {
    const visible: DebugProtocol.StackFrame[] = [];
    for (const cf of t.callFrames) {
      const script = scripts.get(cf.scriptId);
      if (!script || script.hidden) continue;
      const ui = uiLocation(cells, maps, script, { scriptId: cf.scriptId, lineNumber: cf.lineNumber, columnNumber: cf.columnNumber });
      const isCell = !!ui.path && (cells.isCellPath(ui.path) || !!cells.get(ui.path));
      const name = cf.functionName || (isCell ? CELL_FRAME_NAME : '<anonymous>');
      // The REPL wrapper's call site is the same cell top level again (as in buildFrames).
      const prev = visible[visible.length - 1] ?? out[out.length - 1];
      if (name === CELL_FRAME_NAME && (topLevels.has(ui.path) || (prev?.name === CELL_FRAME_NAME && prev.source?.path === ui.path))) continue;
      const id = nextFrameId++;
      visible.push({
        id,
        name,
        line: ui.line,
        column: ui.column,
        source: ui.path ? { path: ui.path, name: ui.path.split(/[\\/]/).pop() } : { name: script.url || `VM${script.scriptId}` },
        presentationHint: 'subtle',
      });
    }
    if (!visible.length) continue;
    out.push({ id: nextFrameId++, name: `[async ${t.description || 'call'}]`, line: 0, column: 0, presentationHint: 'label' }, ...visible);
  }
  return out.slice(0, limit);
}

/** Async parent frames shown at most (V8 keeps up to 32 hops). */
const MAX_ASYNC_FRAMES = 64;

export function buildFrames(callFrames: Protocol.Debugger.CallFrame[], scripts: ScriptRegistry, cells: CellFiles, maps: ScriptMaps): FrameInfo[] {
  const frames: FrameInfo[] = [];
  for (let i = 0; i < callFrames.length; i++) {
    const cf = callFrames[i];
    const script = scripts.get(cf.location.scriptId);
    if (!script || script.hidden) continue;
    const path = script.path;
    const record = path ? cells.get(path) : undefined;
    const isCell = !!path && (cells.isCellPath(path) || !!record);
    let topLevel = false;
    let name = cf.functionName || '<anonymous>';
    if (isCell && isScriptTop(cf)) {
      topLevel = true;
      name = CELL_FRAME_NAME;
      // Already represented by the async wrapper frame above it.
      const prev = frames[frames.length - 1];
      if (prev?.topLevel && prev.script?.scriptId === script.scriptId) continue;
    } else if (isCell && isAsyncCellWrapper(cf, record?.wrapperColumn)) {
      topLevel = true;
      name = CELL_FRAME_NAME;
    }
    const ui = uiLocation(cells, maps, script, cf.location);
    const { line, column } = ui;
    const id = nextFrameId++;
    const source: DebugProtocol.Source = ui.path ? { path: ui.path, name: ui.path.split(/[\\/]/).pop() } : { name: script.url || `VM${script.scriptId}` };
    frames.push({ id, callFrame: cf, script, topLevel, dap: { id, name, line, column, source } });
  }
  // Nothing user-visible (e.g. paused inside host code): show the raw top frame rather than nothing.
  if (!frames.length && callFrames.length) {
    const cf = callFrames[0];
    const script = scripts.get(cf.location.scriptId);
    const id = nextFrameId++;
    frames.push({
      id,
      callFrame: cf,
      script,
      topLevel: false,
      dap: {
        id,
        name: cf.functionName || '<anonymous>',
        line: cf.location.lineNumber + 1,
        column: (cf.location.columnNumber ?? 0) + 1,
        // (The runner's agent does not announce host scripts: then the frame's own URL names it.)
        source: { path: script?.path ?? script?.url ?? urlToPath(cf.url) ?? '', presentationHint: 'deemphasize' },
      },
    });
  }
  return frames;
}
