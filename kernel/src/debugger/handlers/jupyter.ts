// The Jupyter additions (debugInfo, dumpCell, inspectVariables, richInspectVariables,
// copyToGlobals) and the source-listing requests JupyterLab uses (modules, source, loadedSources).
// All of these work before `initialize` / without the Debugger domain: they read adapter state or
// use only the Runtime domain.

import type { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { requireNumber, requireObject, requireString, UserError } from '../errors';
import { BUSY_TIMEOUT_MS, callArgument, evaluateGlobal, evaluateIn, evaluateOnFrame, IDENTIFIER, withTimeout } from '../evaluate';
import { EXCEPTION_FILTERS } from '../exceptions';
import type { DebugInfoBody } from '../protocol';
import { INTERNAL_URL_SUFFIX, isTypeStrippedFrom } from '../scripts';
import type { Thread } from '../thread';
import { assignProperty, fn, mimeBundleOf } from '../variables/remote';
import type { Handler, HandlerContext } from './context';

/** How long loadedSources waits for a target's link to catch up (a frozen target answers late). */
const CAUGHT_UP_MS = 500;

export const debugInfo: Handler<'debugInfo'> = async (ctx) => {
  const { session } = ctx;
  const body: DebugInfoBody = {
    isStarted: session.started,
    hashMethod: 'Murmur2',
    hashSeed: session.cells.seed,
    tmpFilePrefix: session.cells.prefix,
    tmpFileSuffix: session.cells.suffix,
    breakpoints: session.model.paths().map((source) => ({
      source,
      breakpoints: session.model.forPath(source).map((bp) => ({
        line: bp.resolvedLine ?? bp.line,
        ...(bp.column !== undefined ? { column: bp.column } : {}),
        ...(bp.condition ? { condition: bp.condition } : {}),
        ...(bp.hitCondition ? { hitCondition: bp.hitCondition } : {}),
        ...(bp.logMessage ? { logMessage: bp.logMessage } : {}),
      })),
    })),
    stoppedThreads: session.stoppedThreads(),
    richRendering: true,
    copyToGlobals: true,
    exceptionPaths: ['JavaScript Exceptions'],
    exceptionBreakpointFilters: EXCEPTION_FILTERS,
  };
  return body;
};

export const dumpCell: Handler<'dumpCell'> = async (ctx, args) => {
  requireObject(args, 'arguments');
  const code = requireString(args.code, 'code');
  const path = ctx.session.cells.pathFor(code);
  // The runtime records the cell's map and async wrapper when it runs; don't clobber them.
  if (!ctx.session.cells.get(path)) ctx.session.cells.record({ path, source: code });
  return { sourcePath: path };
};

function notebookThread(ctx: HandlerContext): Thread {
  return ctx.session.thread(1);
}

export const inspectVariables: Handler<'inspectVariables'> = async (ctx) => {
  const thread = ctx.session.notebook();
  if (!thread || thread.cdp.isClosed) return { variables: [] };
  const store = await thread.newInspectStore();
  const vars = thread.pause ? await store.globals() : await withTimeout(store.globals(), BUSY_TIMEOUT_MS, 'inspectVariables');
  return { variables: vars };
};

export const richInspectVariables: Handler<'richInspectVariables'> = async (ctx, args) => {
  requireObject(args, 'arguments');
  const name = requireString(args.variableName, 'variableName');
  const thread = args.frameId !== undefined ? ctx.session.frameOwner(args.frameId) : notebookThread(ctx);
  // JupyterLab sends the display name; only identifiers can be resolved as expressions.
  if (!IDENTIFIER.test(name)) return { data: {}, metadata: {} };
  const group = thread.pause?.store.group ?? (thread.currentInspectStore() ?? (await thread.newInspectStore())).group;
  let bundleJson;
  try {
    bundleJson = await evaluateIn(thread, args.frameId, `(${fn(mimeBundleOf)})(${name})`, { objectGroup: group, returnByValue: true });
  } catch (e) {
    if (/is not defined/.test((e as Error).message)) return { data: {}, metadata: {} };
    throw e;
  }
  const parsed = JSON.parse(String(bundleJson.value)) as { data?: Record<string, unknown>; metadata?: Record<string, unknown> };
  const data = parsed.data ?? {};
  const metadata = Object.fromEntries(Object.entries(parsed.metadata ?? {}).filter(([k]) => k in data));
  return { data, metadata };
};

export const copyToGlobals: Handler<'copyToGlobals'> = async (ctx, args) => {
  requireObject(args, 'arguments');
  const src = requireString(args.srcVariableName, 'srcVariableName');
  const dst = requireString(args.dstVariableName, 'dstVariableName');
  const frameId = requireNumber(args.srcFrameId, 'srcFrameId');
  const thread = ctx.session.frameOwner(frameId);
  const frame = thread.frame(frameId);
  if (!frame) throw new UserError('An async parent frame has no variables to copy');
  const group = thread.requirePause().store.group;
  const value = await evaluateOnFrame(thread, frame.callFrame.callFrameId, src, { objectGroup: group });
  const global = await evaluateGlobal(thread, 'globalThis', { objectGroup: group });
  const r = await thread.cdp.send('Runtime.callFunctionOn', {
    objectId: global.objectId,
    functionDeclaration: fn(assignProperty),
    arguments: [{ value: dst }, callArgument(value)],
    objectGroup: group,
    silent: true,
  });
  if (r.exceptionDetails) throw new UserError(`Could not copy '${src}' to '${dst}'`);
  const shown = await thread.pause!.store.single(dst, r.result);
  return { value: shown.value, type: shown.type, variablesReference: shown.variablesReference };
};

function moduleName(path: string): string {
  const i = path.lastIndexOf(`node_modules${nodePath.sep}`);
  return i >= 0 ? path.slice(i + 'node_modules'.length + 1) : nodePath.basename(path);
}

/** File-backed user modules (not cells, not host code) the notebook has loaded. */
async function modulePaths(ctx: HandlerContext): Promise<string[]> {
  const thread = ctx.session.notebook();
  if (!thread || thread.cdp.isClosed) return [];
  const isUser = (p: string): boolean => nodePath.isAbsolute(p) && !ctx.session.cells.isCellPath(p) && !thread.target.hiddenPaths().some((h) => p.startsWith(h));
  if (thread.isAttached) {
    return [
      ...new Set(
        thread.scripts
          .all()
          .filter((s) => !s.hidden && s.url.startsWith('file://') && s.path)
          .map((s) => s.path!),
      ),
    ].filter(isUser);
  }
  // Without the Debugger domain: the CommonJS module cache of the runner.
  const expr = `(() => { try { const M = process.mainModule && process.mainModule.constructor; return M && M._cache ? Object.keys(M._cache) : []; } catch { return []; } })()\n//# sourceURL=modules${INTERNAL_URL_SUFFIX}`;
  const r = await withTimeout(thread.cdp.send('Runtime.evaluate', { expression: expr, returnByValue: true, silent: true }), BUSY_TIMEOUT_MS, 'modules');
  const list = Array.isArray(r.result.value) ? (r.result.value as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  return list.filter(isUser);
}

/** File scripts of attached processes (threads 2+) that have the Debugger domain on. */
function attachedModulePaths(ctx: HandlerContext): string[] {
  const out: string[] = [];
  for (const t of ctx.session.allThreads()) {
    if (t.id === 1 || !t.isAttached) continue;
    for (const s of t.scripts.all()) if (!s.hidden && s.url.startsWith('file://') && s.path) out.push(s.path);
    out.push(...t.maps.sourcePaths());
  }
  return out;
}

export const modules: Handler<'modules'> = async (ctx, args) => {
  const paths = [...new Set([...(await modulePaths(ctx)), ...attachedModulePaths(ctx)])].sort();
  const all: DebugProtocol.Module[] = paths.map((path) => ({ id: path, name: moduleName(path), path }));
  const start = args?.startModule ?? 0;
  const count = args?.moduleCount || all.length;
  return { modules: all.slice(start, start + count), totalModules: all.length };
};

export const loadedSources: Handler<'loadedSources'> = async (ctx) => {
  // Scripts a cell loaded are announced on the debug link, its reply on another: list them all
  // even when asked right after the reply.
  await Promise.all(ctx.session.allThreads().map((t) => t.caughtUp(CAUGHT_UP_MS)));
  const seen = new Set<string>();
  const sources: DebugProtocol.Source[] = [];
  for (const t of ctx.session.allThreads()) {
    const paths = [
      ...t.scripts
        .all()
        .filter((s) => !s.hidden && s.path)
        .map((s) => s.path!),
      ...t.maps.sourcePaths(),
    ];
    for (const path of paths) {
      if (seen.has(path)) continue;
      seen.add(path);
      sources.push({ name: nodePath.basename(path), path });
    }
  }
  return { sources };
};

function mimeTypeFor(path: string): string {
  return /\.(c|m)?tsx?$/.test(path) ? 'text/typescript' : 'text/javascript';
}

export const source: Handler<'source'> = async (ctx, args) => {
  requireObject(args, 'arguments');
  const path = args.source?.path;
  if (typeof path !== 'string' || !path) throw new UserError(args.sourceReference ? `Unknown sourceReference ${args.sourceReference}` : "'source.path' is required");
  const cell = ctx.session.cells.get(path);
  if (cell) return { content: cell.source, mimeType: mimeTypeFor(path) };
  for (const t of ctx.session.allThreads()) {
    // An original file behind a source map (the map may embed it; else it is where the target runs).
    // First: a local module compiled in place (an enum, JSX) maps to its own path, shown as written.
    if (t.isAttached && t.maps.isMappedSource(path)) {
      const content = t.maps.sourceContent(path) ?? (await t.readFile(path));
      if (content !== undefined) return { content, mimeType: mimeTypeFor(path) };
    }
    const script = t.isAttached ? t.scripts.latestForPath(path) : undefined;
    if (script) {
      const r = await t.cdp.send('Debugger.getScriptSource', { scriptId: script.scriptId });
      // A local .ts module runs type-stripped: show the file as written when positions still match.
      if (/\.(c|m)?ts$/.test(path)) {
        const written = await t.readFile(path);
        if (written !== undefined && isTypeStrippedFrom(r.scriptSource, written)) return { content: written, mimeType: mimeTypeFor(path) };
      }
      return { content: r.scriptSource, mimeType: mimeTypeFor(path) };
    }
  }
  if (nodePath.isAbsolute(path)) {
    try {
      const st = await fs.promises.stat(path);
      if (st.isFile() && st.size < 32 * 1024 * 1024) return { content: await fs.promises.readFile(path, 'utf8'), mimeType: mimeTypeFor(path) };
    } catch {
      /* fall through */
    }
  }
  throw new UserError(`Source unavailable: ${path}`);
};
