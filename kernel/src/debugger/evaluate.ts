// Evaluation in the debuggee: on a paused frame (Debugger.evaluateOnCallFrame) or globally
// (Runtime.evaluate in REPL mode). Global evaluation skips all pauses while it runs, because a
// breakpoint hit inside it would wait for a `continue` that the strictly sequential control
// channel could never deliver. Calls made while the runner is not paused are bounded in time.

import type { Protocol } from 'devtools-protocol';
import { INTERNAL_URL_SUFFIX } from './scripts';
import type { Thread } from './thread';
import { UserError } from './errors';

type RemoteObject = Protocol.Runtime.RemoteObject;

/** How long a not-paused runner may take to answer (it may be blocked in a synchronous call). */
export const BUSY_TIMEOUT_MS = 5000;

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UserError(`${what} timed out: the notebook runner is busy`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function callArgument(o: RemoteObject): Protocol.Runtime.CallArgument {
  if (o.objectId) return { objectId: o.objectId };
  if (o.unserializableValue !== undefined) return { unserializableValue: o.unserializableValue };
  return { value: o.value };
}

export function exceptionMessage(details: Protocol.Runtime.ExceptionDetails): string {
  const d = details.exception?.description ?? (details.exception?.value !== undefined ? String(details.exception.value) : undefined);
  return (d ?? details.text).split('\n')[0];
}

export interface EvalOptions {
  objectGroup: string;
  /** Hover/auto evaluation: refuse side effects. */
  noSideEffects?: boolean;
  returnByValue?: boolean;
}

/** Evaluates on a paused frame. Throws a UserError carrying the exception text. */
export async function evaluateOnFrame(thread: Thread, callFrameId: string, expression: string, o: EvalOptions): Promise<RemoteObject> {
  const r = await thread.cdp.send('Debugger.evaluateOnCallFrame', {
    callFrameId,
    expression,
    objectGroup: o.objectGroup,
    silent: true,
    ...(o.noSideEffects ? { throwOnSideEffect: true, timeout: 500 } : {}),
    ...(o.returnByValue ? { returnByValue: true } : {}),
  });
  if (r.exceptionDetails) throw new UserError(exceptionMessage(r.exceptionDetails));
  return r.result;
}

/** Evaluates in the global scope of the thread, REPL-style (top-level await, re-declarable let). */
export async function evaluateGlobal(thread: Thread, expression: string, o: EvalOptions): Promise<RemoteObject> {
  const skip = thread.isAttached && !thread.pause;
  if (skip) await thread.cdp.send('Debugger.setSkipAllPauses', { skip: true });
  try {
    const run = thread.cdp.send('Runtime.evaluate', {
      expression: `${expression}\n//# sourceURL=eval${INTERNAL_URL_SUFFIX}`,
      objectGroup: o.objectGroup,
      // REPL mode is asynchronous inside V8: while paused its promise would never settle.
      ...(thread.pause ? {} : { replMode: true, awaitPromise: /\bawait\b/.test(expression) }),
      silent: true,
      ...(o.noSideEffects ? { throwOnSideEffect: true, timeout: 500 } : {}),
      ...(o.returnByValue ? { returnByValue: true } : {}),
    });
    const r = thread.pause ? await run : await withTimeout(run, BUSY_TIMEOUT_MS, 'Evaluation');
    if (r.exceptionDetails) throw new UserError(exceptionMessage(r.exceptionDetails));
    return r.result;
  } finally {
    if (skip) await thread.cdp.send('Debugger.setSkipAllPauses', { skip: false }).catch(() => undefined);
  }
}

/** Evaluates in a frame when one is given (and live), else globally. */
export async function evaluateIn(thread: Thread, frameId: number | undefined, expression: string, o: EvalOptions): Promise<RemoteObject> {
  if (frameId !== undefined) {
    const f = thread.frame(frameId);
    if (f) return evaluateOnFrame(thread, f.callFrame.callFrameId, expression, o);
    // An async parent frame has no scope of its own: evaluate globally.
    if (!thread.isAsyncFrame(frameId)) throw new UserError(`Unknown or expired frameId ${frameId}`);
  }
  return evaluateGlobal(thread, expression, o);
}

/** Calls a debuggee function on `target` (bounded in time when not paused). */
export async function callOn(thread: Thread, target: RemoteObject, functionDeclaration: string, args: Protocol.Runtime.CallArgument[], o: EvalOptions): Promise<RemoteObject> {
  if (!target.objectId) throw new UserError('Not an object');
  const run = thread.cdp.send('Runtime.callFunctionOn', {
    objectId: target.objectId,
    functionDeclaration,
    arguments: args,
    objectGroup: o.objectGroup,
    silent: true,
    ...(o.returnByValue ? { returnByValue: true } : {}),
  });
  const r = thread.pause ? await run : await withTimeout(run, BUSY_TIMEOUT_MS, 'Inspection');
  if (r.exceptionDetails) throw new UserError(exceptionMessage(r.exceptionDetails));
  return r.result;
}

export const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
