// stackTrace / scopes / variables / setVariable / setExpression / evaluate: what the user sees
// of a paused thread (and, for variables/evaluate, of a running notebook).

import type { DebugProtocol } from '@vscode/debugprotocol';
import { requireNumber, requireObject, requireString, UserError } from '../errors';
import { callArgument, callOn, evaluateGlobal, evaluateIn, evaluateOnFrame } from '../evaluate';
import type { Thread } from '../thread';
import { assignProperty, fn } from '../variables/remote';
import type { VariableStore } from '../variables/store';
import type { HandlerContext, Handler } from './context';

export const stackTrace: Handler<'stackTrace'> = async (ctx, args) => {
  const thread = ctx.session.thread(args?.threadId);
  const pause = thread.requirePause();
  // The client asks for the top frame's scopes and their variables next: they are read meanwhile.
  thread.prefetchTopFrame();
  const frames = [...pause.frames.map((f) => f.dap), ...pause.asyncFrames];
  const start = args?.startFrame ?? 0;
  const levels = args?.levels ? args.levels : frames.length;
  return { stackFrames: frames.slice(start, start + levels), totalFrames: frames.length };
};

export const scopes: Handler<'scopes'> = async (ctx, args) => {
  const frameId = requireNumber(args?.frameId, 'frameId');
  const thread = ctx.session.frameOwner(frameId);
  // An async parent frame: V8 keeps no variables for it.
  return { scopes: thread.scopes(frameId) ?? [] };
};

/** The thread and store that handed out a variablesReference. */
function findStore(ctx: HandlerContext, ref: number): { thread: Thread; store: VariableStore } | undefined {
  for (const thread of ctx.session.allThreads()) for (const store of thread.stores()) if (store.has(ref)) return { thread, store };
  return undefined;
}

export const variables: Handler<'variables'> = async (ctx, args) => {
  const ref = requireNumber(args?.variablesReference, 'variablesReference');
  if (ref === 0) return { variables: [] };
  const found = findStore(ctx, ref);
  // References die on resume; JupyterLab may still expand a stale one (its body is dereferenced).
  if (!found) throw new UserError(`Unknown or expired variablesReference ${ref}`);
  return { variables: await found.store.children(ref, args.start, args.count) };
};

async function assign(ctx: HandlerContext, ref: number, name: string, value: string): Promise<DebugProtocol.SetVariableResponse['body']> {
  const found = findStore(ctx, ref);
  const c = found?.store.get(ref);
  if (!found || !c) throw new UserError(`Unknown variablesReference ${ref}`);
  const { thread, store } = found;
  const o = { objectGroup: store.group };
  let result;
  if (c.kind === 'scopes' && c.callFrameId) {
    result = await evaluateOnFrame(thread, c.callFrameId, `${name} = (${value})`, o);
  } else if (c.kind === 'globals' || (c.kind === 'scopes' && !c.callFrameId)) {
    result = await evaluateGlobal(thread, `${name} = (${value})`, o);
  } else if (c.kind === 'object') {
    const frame = thread.pause?.frames[0];
    const v = frame ? await evaluateOnFrame(thread, frame.callFrame.callFrameId, `(${value})`, o) : await evaluateGlobal(thread, `(${value})`, o);
    result = await callOn(thread, c.object, fn(assignProperty), [{ value: name }, callArgument(v)], o);
  } else throw new UserError('This value cannot be changed');
  const v = await store.single(name, result);
  return { value: v.value, type: v.type, variablesReference: v.variablesReference, indexedVariables: v.indexedVariables };
}

export const setVariable: Handler<'setVariable'> = async (ctx, args) => {
  requireObject(args, 'arguments');
  return assign(ctx, requireNumber(args.variablesReference, 'variablesReference'), requireString(args.name, 'name'), requireString(args.value, 'value'));
};

export const setExpression: Handler<'setExpression'> = async (ctx, args) => {
  requireObject(args, 'arguments');
  const expression = requireString(args.expression, 'expression');
  const value = requireString(args.value, 'value');
  const thread = args.frameId !== undefined ? ctx.session.frameOwner(args.frameId) : ctx.session.thread(1);
  const store = thread.pause?.store ?? (await thread.newInspectStore());
  const r = await evaluateIn(thread, args.frameId, `${expression} = (${value})`, { objectGroup: store.group });
  const v = await store.single(expression, r);
  return { value: v.value, type: v.type, variablesReference: v.variablesReference };
};

export const evaluate: Handler<'evaluate'> = async (ctx, args) => {
  requireObject(args, 'arguments');
  const expression = requireString(args.expression, 'expression');
  const thread = args.frameId !== undefined ? ctx.session.frameOwner(args.frameId) : ctx.session.thread(1);
  const store = thread.pause?.store ?? thread.currentInspectStore() ?? (await thread.newInspectStore());
  const r = await evaluateIn(thread, args.frameId, expression, { objectGroup: store.group, noSideEffects: args.context === 'hover' });
  const v = await store.single(expression, r, expression);
  return {
    result: v.value,
    ...(v.type ? { type: v.type } : {}),
    variablesReference: v.variablesReference,
    ...(v.indexedVariables !== undefined ? { indexedVariables: v.indexedVariables } : {}),
  };
};
