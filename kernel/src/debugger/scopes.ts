// The DAP scopes of a paused frame: Locals (the innermost local/block/catch/with scopes, plus the
// return value and `this`; a cell's top level also lists the notebook's globals), Closure (outer
// function scopes) and Globals (the user's globals). Made once per frame and pause, so the
// thread can prefetch their variables when it reports the stop and the `scopes` request hands
// out the same references.

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Protocol } from 'devtools-protocol';
import type { FrameInfo } from './stack';
import type { VariableStore } from './variables/store';

const LOCAL_TYPES = new Set(['local', 'block', 'catch', 'with', 'eval', 'module']);

export function frameScopes(frame: FrameInfo, store: VariableStore): DebugProtocol.Scope[] {
  const chain = frame.callFrame.scopeChain;
  const firstLocal = chain.findIndex((s) => s.type === 'local');
  const localEnd = firstLocal >= 0 ? firstLocal + 1 : chain.findIndex((s) => !LOCAL_TYPES.has(s.type));
  const locals = chain.slice(0, localEnd < 0 ? 0 : localEnd);
  const closures = chain.slice(locals.length).filter((s) => s.type !== 'script' && s.type !== 'global');
  const extras: { name: string; object: Protocol.Runtime.RemoteObject }[] = [];
  const cf = frame.callFrame;
  if (cf.returnValue) extras.push({ name: 'Return value', object: cf.returnValue });
  if (!frame.topLevel && cf.this.type === 'object' && cf.this.subtype !== 'null' && cf.this.className !== 'global' && cf.this.description !== 'global') extras.push({ name: 'this', object: cf.this });
  const callFrameId = cf.callFrameId;
  const out: DebugProtocol.Scope[] = [
    {
      name: 'Locals',
      presentationHint: 'locals',
      variablesReference: store.add({ kind: 'scopes', objects: locals.map((s) => s.object), extras, withGlobals: frame.topLevel, callFrameId }),
      expensive: false,
    },
  ];
  if (closures.length) out.push({ name: 'Closure', variablesReference: store.add({ kind: 'scopes', objects: closures.map((s) => s.object), extras: [], callFrameId }), expensive: false });
  out.push({ name: 'Globals', variablesReference: store.add({ kind: 'globals' }), expensive: false });
  return out;
}
