// Shared types of the language service: the public result shapes and the typed request/response
// map spoken between the kernel's main thread (client.ts) and the compiler worker (worker.ts).
// Offsets inside this protocol are UTF-16 code units (what the compiler uses); the public API in
// ../service.ts converts Jupyter's code-point cursors at the boundary.

export type CheckMode = 'off' | 'warn' | 'strict';

export interface TsDiagnostic {
  /** 1-based line in the cell's own text. */
  line: number;
  /** 1-based column in code points, in the cell's own text. */
  column: number;
  /** TypeScript error code (2345 for TS2345). */
  code: number;
  message: string;
  category: 'error' | 'warning' | 'suggestion';
}

export interface WorkerInit {
  language: 'typescript' | 'javascript';
  notebookDir: string;
  extraDeclarations?: string;
  /** Cells already executed before this worker started (replayed after a worker restart). */
  cells: Array<{ code: string; executionCount: number }>;
}

/** One completion candidate as the worker reports it. */
export interface CompletionItem {
  name: string;
  /** TypeScript's ScriptElementKind ('method', 'property', 'keyword', ...). */
  kind: string;
  /** Signature or type text, when details were computed for this entry. */
  signature: string;
  /** TypeScript's sort key (lets the main thread re-rank a cached list for a longer prefix). */
  sortText?: string;
  /** Replacement span start/end (UTF-16), when it differs from the request's token span. */
  start?: number;
  end?: number;
}

export interface CompletionResult {
  items: CompletionItem[];
  /** Token span (UTF-16) that a match replaces. */
  start: number;
  end: number;
  /** Set when completing members of an `any`-typed expression: the expression text to ask the runtime about. */
  anyMemberOf?: string;
  /**
   * For `expr.` member completion: every member of `expr`'s type, whatever the typed prefix (with
   * the signatures computed for `items`), so the main thread can keep the list (pathAnswers.ts).
   */
  members?: CompletionItem[];
}

export interface InspectResult {
  found: boolean;
  /** Type signature as TypeScript prints it. */
  signature: string;
  /** JSDoc text. */
  documentation: string;
  /** JSDoc tags (`@param x ...`) rendered as text lines. */
  tags: string[];
  kind: string;
  /** Declaration source (detail level 1 and above), with its location. */
  source?: { text: string; where: string };
}

export type IsCompleteStatus = 'complete' | 'incomplete' | 'invalid' | 'unknown';

export interface IsCompleteResult {
  status: IsCompleteStatus;
  indent?: string;
}

/** Requests that expect a reply, keyed by kind. */
export interface RequestMap {
  check: { params: { code: string }; result: TsDiagnostic[] };
  complete: { params: { code: string; pos: number }; result: CompletionResult };
  /** Signature texts of the named members completed at `pos` (no time budget; a few names at a time). */
  details: { params: { code: string; pos: number; names: string[] }; result: Array<{ name: string; signature: string }> };
  inspect: { params: { code: string; pos: number; detailLevel: number }; result: InspectResult };
  isComplete: { params: { code: string }; result: IsCompleteResult };
  ping: { params: Record<string, never>; result: { warm: boolean } };
}

export type RequestKind = keyof RequestMap;

export interface RequestMessage<K extends RequestKind> {
  type: 'request';
  id: number;
  kind: K;
  params: RequestMap[K]['params'];
}

export type ToWorker = { type: 'init'; init: WorkerInit } | { type: 'addCell'; code: string; executionCount: number } | { [K in RequestKind]: RequestMessage<K> }[RequestKind];

export type FromWorker =
  | { type: 'ready'; ms: number }
  /** The full program (real Node typings) is in use: completion and hover answers are final. */
  | { type: 'full'; ms: number; globalTypes: string[] }
  | { type: 'reply'; id: number; ok: true; result: RequestMap[RequestKind]['result'] }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'log'; level: 'debug' | 'warn' | 'error'; message: string };
