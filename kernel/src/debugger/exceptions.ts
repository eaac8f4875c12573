// Pause-on-exception filters and the "uncaught" decision. Cells run under vm from the runner,
// whose own catch makes V8 predict every cell exception as caught, so V8's `uncaught` state never
// fires for notebook errors. Instead, with the `uncaught` filter V8 pauses on every exception
// (host code is blackboxed, so its internal throws never pause) and the adapter resumes silently
// when a user frame on the stack will catch it: the frame's position lies inside the `try` block
// of a try/catch within the same function. Scripts are parsed once (acorn) and cached.

import * as acorn from 'acorn';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Protocol } from 'devtools-protocol';

export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  { filter: 'uncaught', label: 'Uncaught Exceptions', description: 'Pause when an exception escapes your code (a cell error)', default: false },
  { filter: 'caught', label: 'Caught Exceptions', description: 'Pause on every exception thrown in your code, even when it is caught', default: false },
];

const ALIASES: Record<string, 'caught' | 'uncaught'> = { caught: 'caught', all: 'caught', raised: 'caught', uncaught: 'uncaught', userUnhandled: 'uncaught' };

export type ExceptionMode = 'none' | 'uncaught' | 'all';

export function exceptionMode(filters: readonly string[]): { mode: ExceptionMode; unknown: string[] } {
  const ids = new Set<string>();
  const unknown: string[] = [];
  for (const f of filters) {
    const id = ALIASES[f];
    if (id) ids.add(id);
    else unknown.push(f);
  }
  return { mode: ids.has('caught') ? 'all' : ids.has('uncaught') ? 'uncaught' : 'none', unknown };
}

interface TryRange {
  start: number;
  end: number;
}

interface ParsedScript {
  lineStarts: number[];
  tries: TryRange[];
  functions: TryRange[];
}

function parseScript(source: string): ParsedScript {
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const tries: TryRange[] = [];
  const functions: TryRange[] = [];
  let ast: acorn.Node;
  try {
    ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true, allowHashBang: true });
  } catch {
    try {
      ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true, allowHashBang: true });
    } catch {
      return { lineStarts, tries, functions };
    }
  }
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const n = node as acorn.Node & Record<string, unknown>;
    if (typeof n.type !== 'string') return;
    if (n.type === 'TryStatement' && n.handler) {
      const block = n.block as acorn.Node;
      tries.push({ start: block.start, end: block.end });
    }
    if (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression' || n.type === 'MethodDefinition') {
      functions.push({ start: n.start, end: n.end });
    }
    for (const key of Object.keys(n)) {
      if (key === 'type' || key === 'start' || key === 'end' || key === 'loc') continue;
      const v = n[key];
      if (v && typeof v === 'object') visit(v);
    }
  };
  visit(ast);
  return { lineStarts, tries, functions };
}

/** True when `offset` sits inside a try block (with a catch) of the innermost function containing it. */
export function insideCatchingTry(source: string, line0: number, col0: number, cache?: Map<string, ParsedScript>): boolean {
  let parsed = cache?.get(source);
  if (!parsed) {
    parsed = parseScript(source);
    cache?.set(source, parsed);
  }
  const offset = (parsed.lineStarts[line0] ?? source.length) + col0;
  let fnStart = -1;
  for (const f of parsed.functions) if (f.start < offset && offset < f.end && f.start > fnStart) fnStart = f.start;
  return parsed.tries.some((t) => t.start < offset && offset < t.end && t.start > fnStart);
}

/** Decides whether a V8 exception pause is "uncaught" from the notebook user's point of view. */
export class CatchPredictor {
  private readonly sources = new Map<string, string>();
  private readonly parsed = new Map<string, ParsedScript>();

  constructor(private readonly getSource: (scriptId: string) => Promise<string>) {}

  async caughtByUser(frames: { location: Protocol.Debugger.Location; visible: boolean }[]): Promise<boolean> {
    for (const f of frames) {
      if (!f.visible) continue;
      const id = f.location.scriptId;
      let src = this.sources.get(id);
      if (src === undefined) {
        src = await this.getSource(id).catch(() => '');
        if (this.sources.size > 500) this.sources.clear();
        this.sources.set(id, src);
      }
      if (src && insideCatchingTry(src, f.location.lineNumber, f.location.columnNumber ?? 0, this.parsed)) return true;
    }
    return false;
  }
}
