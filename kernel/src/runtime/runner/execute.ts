// Runs one cell: compiles the JavaScript as a vm.Script named by the cell path (so the debugger
// and tracebacks see the cell file), runs it on this event loop with breakOnSigint, awaits the
// async wrapper when the cell used top-level await, and produces the result bundle or the error.

import * as vm from 'node:vm';
import type { ExecuteOrder, FromRunner, MimeBundle } from '../protocol';
import { cellStore, setLastCell } from './context';
import { formatError, interruptedError, rememberCell } from './errors';
import { mimeBundle } from './format';
import { setStdinAllowed } from './stdin';

type Done = Extract<FromRunner, { type: 'done' }>;

let awaiting: { id: number; reject: (e: unknown) => void } | undefined;

class Interrupted extends Error {}

/**
 * An interrupt for cell `id` while it awaits: stop waiting for it (its pending async work is
 * abandoned). By id, so an interrupt that arrives late never ends the cell after it.
 */
export function interruptAwaitingCell(id: number): boolean {
  if (awaiting?.id !== id) return false;
  awaiting.reject(new Interrupted());
  return true;
}

function isInterrupt(e: unknown): boolean {
  return e instanceof Interrupted || (e as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED';
}

export async function execute(order: ExecuteOrder): Promise<Done> {
  rememberCell(order.filename, order.label, order.source);
  setLastCell(order.id);
  setStdinAllowed(order.allowStdin);
  try {
    let value = cellStore.run(order.id, () => {
      const script = new vm.Script(order.code, { filename: order.filename });
      return script.runInThisContext({ breakOnSigint: true, displayErrors: false });
    });
    if (order.isAsync) {
      const current = { id: order.id, reject: (_e: unknown) => undefined as void };
      value = await new Promise((resolve, reject) => {
        current.reject = reject;
        awaiting = current;
        (value as Promise<unknown>).then(resolve, reject);
      }).finally(() => {
        if (awaiting === current) awaiting = undefined;
      });
    }
    const result: MimeBundle | undefined = value === undefined || order.silent ? undefined : mimeBundle(value);
    return { type: 'done', id: order.id, status: 'ok', result, userExpressions: evaluateUserExpressions(order) };
  } catch (e) {
    const info = isInterrupt(e) ? interruptedError() : formatError(e);
    return { type: 'done', id: order.id, status: 'error', ...info };
  } finally {
    setStdinAllowed(false);
  }
}

function evaluateUserExpressions(order: ExecuteOrder): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, expr] of Object.entries(order.userExpressions ?? {})) {
    try {
      const v = vm.runInThisContext(String(expr), { filename: 'user_expression', breakOnSigint: true });
      out[name] = { status: 'ok', ...mimeBundle(v) };
    } catch (e) {
      out[name] = { status: 'error', ...formatError(e) };
    }
  }
  return out;
}
