// Kept answers for completion after `path.` and hover on `path` (pathContext.ts says when a request
// qualifies): the compiler's answer for such a request is the same in any cell, so it is kept and
// given again without asking the worker (each worker answer builds a new program and checker:
// 5-15 ms on a quiet machine, more while it takes in the last cell). What could change an answer
// is a later cell, and only through the names it depends on, so each added cell drops the answers
// depending on any word it contains. A cell that could change types without naming them — merging
// into an existing interface or namespace, `declare`, an import (module augmentation) — drops all.
// Names imported from local files (which may change on disk), and names declared by cells that use
// them, are never kept. Nothing is kept
// before the worker has sent the names of the global types (to tell a new type from a merge).

import type { CompletionItem, CompletionResult, InspectResult } from './service/protocol';
import { matchingItems } from './completionCache';
import { inspectRequest, isReserved, memberRequest, words, type PathRequest } from './pathContext';

/** Answers kept at most (the oldest go first). */
const MAX_ENTRIES = 500;
/** Leading items of a list that should carry their signature (as the worker details them). */
const DETAILED_ITEMS = 10;
/** Declarations that may merge into a type of the same name. */
const TYPE_DECLARATION = /(?:^|[^\w$.])(?:interface|type|class|enum|namespace|module)\s+([A-Za-z_$][\w$]*)/g;
/** Cells after which any kept answer may be wrong. */
const CHANGES_ANY_TYPE = /(?:^|[^\w$.])(?:declare|namespace|module|import|require)(?![\w$])/;
const LOCAL_MODULE = /(?:from\s*|require\s*\(\s*|import\s*\(\s*)['"]\.{1,2}\//;

interface Members {
  kind: 'member';
  deps: string[];
  items: CompletionItem[];
  /** Signature texts the worker computed so far, by member name. */
  signatures: Map<string, string>;
}

interface Hover {
  kind: 'inspect';
  deps: string[];
  result: InspectResult;
}

export class PathAnswers {
  private readonly entries = new Map<string, Members | Hover>();
  private typeNames: Set<string> | undefined;
  private readonly volatile = new Set<string>();
  private generation = 0;
  hits = 0;

  /** The global type names of the full program: from now on answers may be kept. */
  setGlobalTypes(names: readonly string[]): void {
    this.typeNames = new Set(names);
  }

  /** The generation to hand back to `store*` for a request sent now. */
  get current(): number {
    return this.generation;
  }

  /** A cell was added: drop what it could change. */
  cellAdded(code: string): void {
    this.generation++;
    const types = this.typeNames;
    let all = CHANGES_ANY_TYPE.test(code);
    for (const m of code.matchAll(TYPE_DECLARATION)) {
      if (types?.has(m[1])) all = true;
      types?.add(m[1]);
    }
    const mentioned = new Set(words(code).filter((w) => !isReserved(w)));
    // Names from a local file, and names whose cells use them (their types may follow the file).
    if (LOCAL_MODULE.test(code) || [...mentioned].some((w) => this.volatile.has(w))) for (const w of mentioned) this.volatile.add(w);
    if (all) return this.entries.clear();
    for (const [key, e] of this.entries) if (e.deps.some((d) => mentioned.has(d))) this.entries.delete(key);
  }

  /**
   * The kept member list for completing `code` at `pos`. `missing` names leading items whose
   * signature is not known yet (the worker details a few per answer, within a time budget): the
   * caller asks for them in the background, so the next answer has them.
   */
  complete(code: string, pos: number): { result: CompletionResult; missing: string[] } | undefined {
    const req = memberRequest(code, pos);
    const e = req && this.entries.get(req.key);
    if (!req || e?.kind !== 'member') return undefined;
    const items = matchingItems(e.items, req.prefix).map((i) => ({ ...i, signature: e.signatures.get(i.name) ?? '' }));
    this.hits++;
    return { result: { items, start: req.start, end: pos }, missing: undetailed(items) };
  }

  /** Keeps the worker's member list for `code` at `pos` (asked at `generation`); returns the leading names still without a signature. */
  storeCompletion(code: string, pos: number, r: CompletionResult, generation: number): string[] {
    const req = memberRequest(code, pos);
    if (!req || !r.members || r.anyMemberOf !== undefined || !this.keeps(req, generation)) return [];
    const old = this.entries.get(req.key);
    const signatures = old?.kind === 'member' ? old.signatures : new Map<string, string>();
    for (const i of [...r.members, ...r.items]) if (i.signature) signatures.set(i.name, i.signature);
    this.put(req.key, { kind: 'member', deps: req.deps, items: r.members, signatures });
    return undetailed(r.items.map((i) => ({ ...i, signature: signatures.get(i.name) ?? '' })));
  }

  /** Signatures computed later for the member list that `code` at `pos` completes from. */
  addSignatures(code: string, pos: number, found: ReadonlyArray<{ name: string; signature: string }>): void {
    const req = memberRequest(code, pos);
    const e = req && this.entries.get(req.key);
    if (e?.kind === 'member') for (const f of found) if (f.signature) e.signatures.set(f.name, f.signature);
  }

  /** The kept hover answer for `code` at `pos`. */
  inspect(code: string, pos: number, detailLevel: number): InspectResult | undefined {
    const req = inspectRequest(code, pos, detailLevel);
    const e = req && this.entries.get(req.key);
    if (e?.kind !== 'inspect') return undefined;
    this.hits++;
    return e.result;
  }

  storeInspect(code: string, pos: number, detailLevel: number, r: InspectResult, generation: number): void {
    const req = inspectRequest(code, pos, detailLevel);
    if (!req || !r.found || !this.keeps(req, generation)) return;
    this.put(req.key, { kind: 'inspect', deps: req.deps, result: r });
  }

  private keeps(req: PathRequest, generation: number): boolean {
    return this.typeNames !== undefined && generation === this.generation && !req.deps.some((d) => this.volatile.has(d));
  }

  private put(key: string, e: Members | Hover): void {
    this.entries.delete(key);
    this.entries.set(key, e);
    const oldest = this.entries.keys().next();
    if (this.entries.size > MAX_ENTRIES && !oldest.done) this.entries.delete(oldest.value);
  }
}

/** Leading items of a list that lack their signature text. */
function undetailed(items: CompletionItem[]): string[] {
  return items
    .slice(0, DETAILED_ITEMS)
    .filter((i) => i.signature === '' && i.kind !== 'keyword')
    .map((i) => i.name);
}
