// Completion while the user keeps typing the same identifier: JupyterLab asks again on each
// keystroke, and every ask would make the worker build a new program for the changed cell. When
// the new request only extends the identifier of the last answer — same text before it, same text
// after the cursor, no cell added since — the answer is the last list filtered by the longer
// prefix and ranked as the worker ranks (exact-case prefix first, then TypeScript's sortText), so
// it equals what the worker would say. The worker computes signature texts for the first few items
// only, so a filtered list whose first few lack them is asked again (a list without types would be
// a worse answer). Not used for runtime (`any`) members, string-literal spans or truncated lists.

import { identifierStart } from './identifier';
import type { CompletionItem, CompletionResult } from './service/protocol';

interface Entry {
  generation: number;
  /** Text before the identifier and after the cursor, when it was answered. */
  before: string;
  after: string;
  prefix: string;
  items: CompletionItem[];
}

/** The worker stops at this many items; a list that long may miss matches of a longer prefix. */
const WORKER_MAX_ITEMS = 1000;
/** The worker computes signatures for this many leading items (completions.ts, DETAIL_COUNT). */
const DETAILED_ITEMS = 10;

export class CompletionCache {
  private last: Entry | undefined;
  private generation = 0;
  hits = 0;

  /** A cell was added (or the program changed otherwise): earlier lists may be stale. */
  invalidate(): void {
    this.generation++;
    this.last = undefined;
  }

  /** Remembers a worker answer for `code` at `pos` (UTF-16), if later keystrokes can reuse it. */
  store(code: string, pos: number, r: CompletionResult, generation: number): void {
    const start = identifierStart(code, pos);
    const plain = r.anyMemberOf === undefined && r.start === start && r.end === pos && r.items.length < WORKER_MAX_ITEMS;
    if (generation !== this.generation || !plain || r.items.some((i) => i.sortText === undefined)) return;
    this.last = { generation, before: code.slice(0, start), after: code.slice(pos), prefix: code.slice(start, pos), items: r.items };
  }

  /** The generation to pass to `store` for a request sent now. */
  get current(): number {
    return this.generation;
  }

  /** The answer for `code` at `pos` from the last list, when the request just extends its identifier. */
  lookup(code: string, pos: number): CompletionResult | undefined {
    const e = this.last;
    if (!e || e.generation !== this.generation) return undefined;
    const start = identifierStart(code, pos);
    const prefix = code.slice(start, pos);
    if (start !== e.before.length || !code.startsWith(e.before) || code.slice(pos) !== e.after || !prefix.startsWith(e.prefix)) return undefined;
    const items = matchingItems(e.items, prefix);
    const undetailed = (i: CompletionItem): boolean => i.signature === '' && i.kind !== 'keyword';
    if (prefix !== e.prefix && items.slice(0, DETAILED_ITEMS).some(undetailed)) return undefined;
    this.hits++;
    return { items, start, end: pos };
  }
}

/** The items starting with `prefix` (any case), ranked as the worker ranks them. */
export function matchingItems(items: readonly CompletionItem[], prefix: string): CompletionItem[] {
  const lower = prefix.toLowerCase();
  return items.filter((i) => i.name.toLowerCase().startsWith(lower)).sort((a, b) => rank(a, prefix) - rank(b, prefix) || compare(a.sortText ?? '', b.sortText ?? '') || a.name.localeCompare(b.name));
}

function rank(i: CompletionItem, prefix: string): number {
  return prefix && !i.name.startsWith(prefix) ? 1 : 0;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
