// `completions` for DAP clients with a debug console (JupyterLab's console completes only for
// Python): `obj.pre|` completes the properties of `obj` (evaluated without side effects), a bare
// `pre|` completes names in the paused frame's scopes, the user's globals and JS globals.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { requireNumber, requireObject, requireString } from '../errors';
import { evaluateIn, withTimeout, BUSY_TIMEOUT_MS } from '../evaluate';
import { INTERNAL_URL_SUFFIX } from '../scripts';
import type { Handler } from './context';

/** Property names along the prototype chain (debuggee function). */
export function propertyNames(this: unknown): string[] {
  const out = new Set<string>();
  let o: unknown = this;
  for (let depth = 0; o !== null && o !== undefined && depth < 20; depth++) {
    for (const k of Object.getOwnPropertyNames(o)) out.add(k);
    o = Object.getPrototypeOf(o);
  }
  return [...out].filter((k) => !/^\d+$/.test(k)).slice(0, 2000);
}

const KEYWORDS = [
  'await',
  'async',
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'delete',
  'do',
  'else',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'in',
  'instanceof',
  'let',
  'new',
  'null',
  'return',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'undefined',
  'var',
  'void',
  'while',
  'yield',
];

export const completions: Handler<'completions'> = async (ctx, args) => {
  requireObject(args, 'arguments');
  const text = requireString(args.text, 'text');
  const column = requireNumber(args.column, 'column');
  const upTo = text.slice(0, Math.max(0, column - 1));
  const m = /((?:[A-Za-z_$][\w$]*|\])(?:\??\.[A-Za-z_$][\w$]*|\[[^\]]*\])*)?(\??\.)?([A-Za-z_$][\w$]*)?$/.exec(upTo);
  const objectExpr = m?.[2] ? m[1] : undefined;
  const prefix = m?.[3] ?? '';
  const thread = args.frameId !== undefined ? ctx.session.frameOwner(args.frameId) : ctx.session.thread(1);
  const group = thread.pause?.store.group ?? (thread.currentInspectStore() ?? (await thread.newInspectStore())).group;
  const names = new Set<string>();
  if (objectExpr) {
    try {
      const obj = await evaluateIn(thread, args.frameId, objectExpr, { objectGroup: group, noSideEffects: true });
      if (obj.objectId || obj.type === 'string' || obj.type === 'number' || obj.type === 'boolean') {
        const wrapped = obj.objectId ? obj : await evaluateIn(thread, args.frameId, `Object(${objectExpr})`, { objectGroup: group, noSideEffects: true });
        const r = await thread.cdp.send('Runtime.callFunctionOn', { objectId: wrapped.objectId, functionDeclaration: propertyNames.toString(), returnByValue: true, silent: true });
        for (const n of (r.result.value as string[] | undefined) ?? []) names.add(n);
      }
    } catch {
      /* not evaluable without side effects: no completions */
    }
  } else {
    const frame = args.frameId !== undefined ? thread.frame(args.frameId) : undefined;
    for (const s of frame?.callFrame.scopeChain ?? []) {
      if (s.type === 'global' || !s.object.objectId) continue;
      const r = await thread.cdp.send('Runtime.getProperties', { objectId: s.object.objectId, ownProperties: true });
      for (const d of r.result) names.add(d.name);
    }
    const g = await withTimeout(
      thread.cdp.send('Runtime.evaluate', { expression: `Object.getOwnPropertyNames(globalThis)\n//# sourceURL=complete${INTERNAL_URL_SUFFIX}`, returnByValue: true, silent: true }),
      BUSY_TIMEOUT_MS,
      'completions',
    );
    for (const n of (g.result.value as string[] | undefined) ?? []) names.add(n);
    const lex = await thread.cdp.send('Runtime.globalLexicalScopeNames', {}).catch(() => ({ names: [] as string[] }));
    for (const n of lex.names) names.add(n);
    for (const k of KEYWORDS) names.add(k);
  }
  const targets: DebugProtocol.CompletionItem[] = [...names]
    .filter((n) => n.startsWith(prefix))
    .sort()
    .map((label) => ({ label, type: KEYWORDS.includes(label) ? 'keyword' : objectExpr ? 'property' : 'variable' }));
  return { targets };
};
