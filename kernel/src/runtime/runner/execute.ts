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

let interruptCurrent: ((e: unknown) => void) | undefined;

class Interrupted extends Error {}

/** SIGINT while a cell awaits: stop waiting for it (its pending async work is abandoned). */
export function interruptAwaitingCell(): boolean {
  if (!interruptCurrent) return false;
  interruptCurrent(new Interrupted());
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
      value = await new Promise((resolve, reject) => {
        interruptCurrent = reject;
        (value as Promise<unknown>).then(resolve, reject);
      }).finally(() => (interruptCurrent = undefined));
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
