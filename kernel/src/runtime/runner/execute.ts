// Runs one cell: compiles the JavaScript as a vm.Script named by the cell path (so the debugger
// and tracebacks see the cell file), runs it on this event loop with breakOnSigint, awaits the
// async wrapper when the cell used top-level await (and an IJavascript `$$.async()` cell until it is
// done), and produces the result bundle or the error.

import * as vm from 'node:vm';
import type { ExecuteOrder, FromRunner, MimeBundle } from '../protocol';
import { prepareCompat } from './compat';
import { beginCell as beginIjsCell, cellHold as ijsCellHold, endCell as endIjsCell } from './compat/ijavascript';
import { disposeCellResources, hasCellResources, installCellScope } from './cellScope';
import { compileUncached } from './compileCell';
import { cellStore, setLastCell } from './context';
import { formatError, interruptedError, rememberCell } from './errors';
import { mimeBundle } from './format';
import { setStdinAllowed } from './stdin';

type Done = Extract<FromRunner, { type: 'done' }>;

installCellScope(process.cwd());

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
  rememberCell(order.filename, order.label, order.source, order.code);
  setLastCell(order.id);
  setStdinAllowed(order.allowStdin);
  try {
    prepareCompat(order.source);
    beginIjsCell(order.id);
    let value = cellStore.run(order.id, () => {
      const script = compileUncached(order.code, order.filename);
      return script.runInThisContext({ breakOnSigint: true, displayErrors: false });
    });
    if (order.isAsync) value = await interruptibly(order.id, value as Promise<unknown>);
    // Top-level `using` resources end with the cell's own code, before its result is shown.
    if (hasCellResources()) await disposeCellResources();
    // IJavascript's `$$.async()`: the cell runs until `$$.done()` / `$$.sendResult()`.
    const held = ijsCellHold(order.id);
    if (held) await interruptibly(order.id, held);
    const ijs = endIjsCell(order.id);
    if (ijs.error) throw ijs.error.value;
    if (ijs.asyncMode || ijs.result) value = undefined;
    const result: MimeBundle | undefined = order.silent ? undefined : (ijs.result ?? (value === undefined ? undefined : mimeBundle(value)));
    return { type: 'done', id: order.id, status: 'ok', result, userExpressions: evaluateUserExpressions(order) };
  } catch (caught) {
    let e = caught;
    if (hasCellResources()) await disposeCellResources({ error: caught }).catch((d: unknown) => (e = d));
    const info = isInterrupt(e) ? interruptedError() : formatError(e);
    return { type: 'done', id: order.id, status: 'error', ...info };
  } finally {
    endIjsCell(order.id);
    setStdinAllowed(false);
  }
}

/** Awaits `p` for cell `id`; an interrupt for that cell stops the wait. */
async function interruptibly<T>(id: number, p: Promise<T>): Promise<T> {
  const current = { id, reject: (_e: unknown) => undefined as void };
  return new Promise<T>((resolve, reject) => {
    current.reject = reject;
    awaiting = current;
    p.then(resolve, reject);
  }).finally(() => {
    if (awaiting === current) awaiting = undefined;
  });
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
