// setBreakpoints / setExceptionBreakpoints / breakpointLocations / setFunctionBreakpoints /
// exceptionInfo. Breakpoints are stored even before a client attaches (JupyterLab restores them
// early) and for paths that have not run yet; they bind when the code is parsed.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { BreakpointModel } from '../breakpoints/model';
import { requireObject, UserError } from '../errors';
import { exceptionMode } from '../exceptions';
import { lineMapFor } from '../breakpoints/binder';
import type { Handler } from './context';

function sourcePath(source: DebugProtocol.Source | undefined): string {
  const s = requireObject<DebugProtocol.Source>(source, 'source');
  if (typeof s.path !== 'string' || !s.path) throw new UserError(s.sourceReference ? 'Breakpoints need a source path; sourceReference sources are not supported' : "'source.path' is required");
  return s.path;
}

function requestedBreakpoints(args: DebugProtocol.SetBreakpointsArguments): DebugProtocol.SourceBreakpoint[] {
  if (args.breakpoints !== undefined && !Array.isArray(args.breakpoints)) throw new UserError("'breakpoints' must be an array");
  const list = args.breakpoints ?? (Array.isArray(args.lines) ? args.lines.map((line) => ({ line })) : []);
  for (const b of list) {
    if (typeof b !== 'object' || b === null || typeof b.line !== 'number' || !Number.isInteger(b.line) || b.line < 1) throw new UserError('every breakpoint needs a positive integer `line`');
  }
  return list;
}

export const setBreakpoints: Handler<'setBreakpoints'> = async (ctx, args) => {
  requireObject(args, 'arguments');
  const path = sourcePath(args.source);
  // A thread still attaching (e.g. a worker that just appeared) gets these from the model itself.
  await ctx.session.settled();
  const diff = ctx.session.model.replace(path, requestedBreakpoints(args));
  const attached = ctx.session.allThreads().filter((t) => t.isAttached);
  if (!attached.length) {
    const pending = ctx.session.cells.isCellPath(path) || !!ctx.session.cells.get(path);
    for (const bp of diff.added) {
      bp.verified = pending;
      bp.message = pending ? undefined : 'The breakpoint will bind when the debugger attaches and this file is loaded';
    }
  }
  await Promise.all(attached.map((t) => t.updateBreakpoints(diff.added, diff.removed)));
  return { breakpoints: diff.list.map((bp) => BreakpointModel.toDap(bp)) };
};

export const setExceptionBreakpoints: Handler<'setExceptionBreakpoints'> = async (ctx, args) => {
  const filters = args?.filters ?? [];
  if (!Array.isArray(filters) || filters.some((f) => typeof f !== 'string')) throw new UserError("'filters' must be an array of filter ids");
  const { mode, unknown } = exceptionMode(filters);
  ctx.session.exceptionFilters = filters.filter((f) => !unknown.includes(f));
  ctx.session.mode = mode;
  await Promise.all(ctx.session.allThreads().map((t) => t.applyExceptionMode()));
  return { breakpoints: filters.map((f) => (unknown.includes(f) ? { verified: false, message: `Unknown exception filter '${f}'` } : { verified: true })) };
};

export const setFunctionBreakpoints: Handler<'setFunctionBreakpoints'> = async () => {
  throw new UserError('Function breakpoints are not supported');
};

export const breakpointLocations: Handler<'breakpointLocations'> = async (ctx, args) => {
  requireObject(args, 'arguments');
  const path = sourcePath(args.source);
  const line = args.line;
  const endLine = args.endLine ?? line;
  const thread = ctx.session.notebook();
  const script = thread?.isAttached ? thread.scripts.latestForPath(path) : undefined;
  if (!thread || !script) return { breakpoints: [] };
  const map = lineMapFor(ctx.session.cells.get(path)?.map);
  const toGen = (l: number): number => (map ? (map.generatedFor(l - 1)?.line0 ?? l - 1) : l - 1);
  const r = await thread.cdp.send('Debugger.getPossibleBreakpoints', {
    start: { scriptId: script.scriptId, lineNumber: toGen(line) },
    end: { scriptId: script.scriptId, lineNumber: toGen(endLine) + 1 },
    restrictToFunction: false,
  });
  const seen = new Set<string>();
  const out: DebugProtocol.BreakpointLocation[] = [];
  for (const loc of r.locations) {
    const o = map ? map.originalFor({ line0: loc.lineNumber, col0: loc.columnNumber ?? 0 }) : { line0: loc.lineNumber, col0: loc.columnNumber ?? 0 };
    if (!o || o.line0 + 1 < line || o.line0 + 1 > endLine) continue;
    const key = `${o.line0}:${o.col0}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ line: o.line0 + 1, column: o.col0 + 1 });
  }
  return { breakpoints: out };
};

export const exceptionInfo: Handler<'exceptionInfo'> = async (ctx, args) => {
  const thread = ctx.session.thread(args?.threadId);
  const pause = thread.requirePause();
  if (pause.reason !== 'exception') throw new UserError(`Thread ${thread.id} is not paused on an exception`);
  const data = pause.event.data as { className?: string; description?: string; value?: unknown; uncaught?: boolean } | undefined;
  const description = data?.description ?? (data?.value !== undefined ? String(data.value) : 'exception');
  const first = description.split('\n')[0];
  const stack = description.split('\n').slice(1).join('\n');
  return {
    exceptionId: data?.className ?? 'Error',
    description: first,
    breakMode: ctx.session.mode === 'all' ? 'always' : 'unhandled',
    details: { message: first, typeName: data?.className, ...(stack ? { stackTrace: stack } : {}) },
  };
};
