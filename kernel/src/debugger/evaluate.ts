// Evaluation in the debuggee: on a paused frame (Debugger.evaluateOnCallFrame) or globally
// (Runtime.evaluate in REPL mode). Global evaluation skips all pauses while it runs, because a
// breakpoint hit inside it would wait for a `continue` that the strictly sequential control
// channel could never deliver. Calls made while the runner is not paused are bounded in time.
//
// Every evaluation has a time limit (TSKERNEL_EVALUATE_TIMEOUT_MS, 5 s by default) passed to V8
// as the CDP `timeout`: V8 terminates just that evaluation and the program goes on — still paused
// on its frame, or still running — so `while(true){}` typed into the debug console costs 5 s, not
// the session. Measured on Node 20: honoured by Debugger.evaluateOnCallFrame on a paused frame
// and by Runtime.evaluate on a running thread, but not by Runtime.evaluate while paused (it then
// never returns): that one case (no frameId while paused) is only bounded on the kernel side.

import type { Protocol } from 'devtools-protocol';
import { INTERNAL_URL_SUFFIX } from './scripts';
import type { Thread } from './thread';
import { UserError } from './errors';
import { orFail } from '../common/deadline';

type RemoteObject = Protocol.Runtime.RemoteObject;

/** How long a not-paused runner may take to answer (it may be blocked in a synchronous call). */
export const BUSY_TIMEOUT_MS = 5000;
export const EVALUATE_TIMEOUT_ENV = 'TSKERNEL_EVALUATE_TIMEOUT_MS';
export const DEFAULT_EVALUATE_TIMEOUT_MS = 5000;
/** Hover evaluation is side-effect free and must be quick. */
const HOVER_TIMEOUT_MS = 500;
/** Beyond V8's own limit: the round trip to the target, before the kernel gives up waiting. */
const REPLY_MARGIN_MS = 2000;

/** The time limit of one evaluation in ms (TSKERNEL_EVALUATE_TIMEOUT_MS, at least 100). */
export function evaluateTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env[EVALUATE_TIMEOUT_ENV]);
  return Number.isInteger(v) && v >= 100 ? v : DEFAULT_EVALUATE_TIMEOUT_MS;
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;

/** V8 ended the evaluation at its `timeout`: CDP answers -32000 "Execution was terminated". */
function timedOut(e: unknown): boolean {
  return e instanceof Error && /Execution was terminated/.test(e.message);
}

/** Sends an evaluation with V8's time limit; a terminated one becomes a readable UserError. */
async function limited<T>(run: Promise<T>, limitMs: number, paused: boolean): Promise<T> {
  const where = paused ? 'the program is still paused where it was' : 'the program is still running';
  const started = Date.now();
  try {
    return await withTimeout(
      run,
      limitMs + REPLY_MARGIN_MS,
      'Evaluation',
      `evaluation did not end within ${seconds(limitMs + REPLY_MARGIN_MS)}; the target may still be running it (interrupt or restart the kernel)`,
    );
  } catch (e) {
    // Terminated well before its limit: an interrupt (SIGINT in the target) ended it.
    if (timedOut(e) && Date.now() - started < limitMs * 0.9) throw new UserError('evaluation interrupted');
    if (timedOut(e)) throw new UserError(`evaluation timed out after ${seconds(limitMs)}; ${where}`);
    throw e;
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string, message = `${what} timed out: the notebook runner is busy`): Promise<T> {
  return orFail(p, ms, () => new UserError(message));
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
  const timeout = o.noSideEffects ? HOVER_TIMEOUT_MS : evaluateTimeoutMs();
  const run = thread.cdp.send('Debugger.evaluateOnCallFrame', {
    callFrameId,
    expression,
    objectGroup: o.objectGroup,
    silent: true,
    timeout,
    ...(o.noSideEffects ? { throwOnSideEffect: true } : {}),
    ...(o.returnByValue ? { returnByValue: true } : {}),
  });
  const r = await limited(run, timeout, true);
  if (r.exceptionDetails) throw new UserError(exceptionMessage(r.exceptionDetails));
  return r.result;
}

/**
 * Evaluations running on the notebook's main thread while it is not paused, by the time V8 ends
 * them. SIGINT cannot stop them (the runner's watchdog guards only a cell's own code), so an
 * interrupt meanwhile must not take the runner for stuck and restart it before they end.
 */
const runnerEvaluations = new Set<{ until: number }>();

/** When the last evaluation now running on the notebook's (not paused) main thread ends, or 0. */
export function runnerBusyUntil(): number {
  let until = 0;
  for (const e of runnerEvaluations) until = Math.max(until, e.until);
  return until;
}

/** Evaluates in the global scope of the thread, REPL-style (top-level await, re-declarable let). */
export async function evaluateGlobal(thread: Thread, expression: string, o: EvalOptions): Promise<RemoteObject> {
  const skip = thread.isAttached && !thread.pause;
  if (skip) await thread.cdp.send('Debugger.setSkipAllPauses', { skip: true });
  const timeout = o.noSideEffects ? HOVER_TIMEOUT_MS : evaluateTimeoutMs();
  const busy = thread.id === 1 && !thread.pause ? { until: Date.now() + timeout } : undefined;
  if (busy) runnerEvaluations.add(busy);
  try {
    const run = thread.cdp.send('Runtime.evaluate', {
      expression: `${expression}\n//# sourceURL=eval${INTERNAL_URL_SUFFIX}`,
      objectGroup: o.objectGroup,
      // REPL mode is asynchronous inside V8: while paused its promise would never settle.
      ...(thread.pause ? {} : { replMode: true, awaitPromise: /\bawait\b/.test(expression) }),
      silent: true,
      timeout,
      ...(o.noSideEffects ? { throwOnSideEffect: true } : {}),
      ...(o.returnByValue ? { returnByValue: true } : {}),
    });
    const r = await limited(run, timeout, !!thread.pause);
    if (r.exceptionDetails) throw new UserError(exceptionMessage(r.exceptionDetails));
    return r.result;
  } finally {
    if (busy) runnerEvaluations.delete(busy);
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
