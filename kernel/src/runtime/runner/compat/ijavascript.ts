// IJavascript's `$$` for notebooks written for IJavascript: `$$.html/svg/png/jpeg/mime/text/json`
// and `$$.sendResult(v)` give the cell's result, `$$.sendError(e)` its error, `$$.async()` keeps
// the cell running until `$$.done()`, `$$.sendResult` or `$$.sendError`, `$$.display(id)` an
// updatable output, `$$.clear()` clears. Calls are tied to the cell that made them (through the
// runner's cell context), so a callback that runs after its cell ended shows its output as
// display data of that cell instead of ending some later cell.

import { randomUUID } from 'node:crypto';
import type { MimeBundle } from '../../protocol';
import { currentCell } from '../context';
import { display, plainFor } from '../display';
import { mimeBundle, normalizeBundle } from '../format';

interface CellState {
  asyncMode: boolean;
  outcome?: { result: MimeBundle } | { error: unknown } | { done: true };
  finish?: () => void;
}

const cells = new Map<number, CellState>();

/** The runner starts a cell: `$$` calls made on its behalf now count for it. */
export function beginCell(id: number): void {
  cells.set(id, { asyncMode: false });
}

/** A promise that settles when an async-mode cell is done, or undefined when nothing holds it. */
export function cellHold(id: number): Promise<void> | undefined {
  const s = cells.get(id);
  if (!s?.asyncMode || s.outcome) return undefined;
  return new Promise<void>((resolve) => (s.finish = resolve));
}

/** Ends the cell's `$$` state; says whether `$$` gave it a result or an error, or none. */
export function endCell(id: number): { asyncMode: boolean; result?: MimeBundle; error?: { value: unknown } } {
  const s = cells.get(id);
  cells.delete(id);
  if (!s) return { asyncMode: false };
  const o = s.outcome;
  if (o && 'result' in o) return { asyncMode: s.asyncMode, result: o.result };
  if (o && 'error' in o) return { asyncMode: s.asyncMode, error: { value: o.error } };
  return { asyncMode: s.asyncMode };
}

function settle(outcome: NonNullable<CellState['outcome']>): boolean {
  const s = cells.get(currentCell());
  if (!s || s.outcome) return false;
  s.outcome = outcome;
  s.finish?.();
  return true;
}

/** The cell's result; once it has one (or has ended), further results are shown as display data. */
function result(bundle: MimeBundle): void {
  if (!settle({ result: bundle })) display(bundle, { raw: true });
}

function typed(mime: string) {
  return (content: unknown): void => {
    const data: Record<string, unknown> = { [mime]: content };
    if (mime !== 'text/plain') data['text/plain'] = plainFor(mime, content);
    result({ data, metadata: {} });
  };
}

function bundleFrom(mime: Record<string, unknown>): MimeBundle {
  const b = normalizeBundle(mime);
  if (!('text/plain' in b.data)) b.data['text/plain'] = Object.keys(b.data).join(', ');
  return b;
}

/** `$$.display(id)`: an output the cell can fill and later replace (IJavascript's display object). */
function displayObject(id: string = randomUUID()) {
  let shown = false;
  const show = (data: Record<string, unknown>): void => {
    display({ data, metadata: {} }, { raw: true, display_id: id, update: shown });
    shown = true;
  };
  const one = (mime: string) => (content: unknown) => show({ [mime]: content, ...(mime === 'text/plain' ? {} : { 'text/plain': plainFor(mime, content) }) });
  return {
    display_id: id,
    mime: (bundle: Record<string, unknown>) => show(bundleFrom(bundle).data),
    html: one('text/html'),
    svg: one('image/svg+xml'),
    png: one('image/png'),
    jpeg: one('image/jpeg'),
    text: one('text/plain'),
    json: (value: unknown) => show({ 'application/json': value, 'text/plain': plainFor('application/json', value) }),
    sendResult: (value: unknown) => show(mimeBundle(value).data),
    close: () => undefined,
  };
}

export const $$ = Object.freeze({
  /** Keeps the cell running until `$$.done()`, `$$.sendResult()` or `$$.sendError()`. */
  async(enable: boolean = true): void {
    const s = cells.get(currentCell());
    if (s && !s.outcome) s.asyncMode = enable;
  },
  done(): void {
    settle({ done: true });
  },
  sendResult(value: unknown): void {
    result(mimeBundle(value));
  },
  sendError(error: unknown): void {
    if (!settle({ error })) throw error;
  },
  mime(bundle: Record<string, unknown>): void {
    result(bundleFrom(bundle));
  },
  html: typed('text/html'),
  svg: typed('image/svg+xml'),
  png: typed('image/png'),
  jpeg: typed('image/jpeg'),
  text: typed('text/plain'),
  json(value: unknown): void {
    result({ data: { 'application/json': value, 'text/plain': plainFor('application/json', value) }, metadata: {} });
  },
  display: displayObject,
  clear(opts: { wait?: boolean } = {}): void {
    display.clear(opts);
  },
});
