// Completion at a cursor in the next cell: TypeScript's candidates filtered by the typed prefix,
// with kind and (for the first few, within a time budget) signature text for JupyterLab's type
// column. When the cursor follows `expr.` and `expr` is `any` (or unresolved), the result names
// `expr` so the kernel can ask the runtime for the object's actual members.

import ts from 'typescript';
import type { CompletionItem, CompletionResult } from './protocol';
import { nodeAt } from './parse';
import { cleanDisplay } from './display';
import { identifierStart } from '../identifier';
import { ALIAS_PREFIX, type RenderedCell } from './notebookModel';

const MAX_ITEMS = 1000;
const DETAIL_COUNT = 10;
const DETAIL_BUDGET_MS = 3;

const PREFERENCES: ts.GetCompletionsAtPositionOptions = {
  includeCompletionsWithInsertText: true,
  includeAutomaticOptionalChainCompletions: true,
  includeCompletionsForModuleExports: false,
  includeCompletionsForImportStatements: false,
  includeCompletionsWithSnippetText: false,
  includeCompletionsWithClassMemberSnippets: false,
  includeCompletionsWithObjectLiteralMethodSnippets: false,
  useLabelDetailsInCompletionEntries: false,
};

/** Completions at `pos` in `cell.blanked`; the compiler sees the cell at `cell.offset`. */
export function completeAt(ls: ts.LanguageService, cell: RenderedCell, pos: number): CompletionResult {
  const { blanked: code, fileName } = cell;
  const off = cell.offset;
  const start = identifierStart(code, pos);
  const prefix = code.slice(start, pos);
  const info = ls.getCompletionsAtPosition(fileName, pos + off, PREFERENCES);
  const result: CompletionResult = { items: [], start, end: pos };
  const anyMemberOf = anyMemberExpression(ls, fileName, pos + off);
  if (anyMemberOf !== undefined) result.anyMemberOf = anyMemberOf;
  if (!info) return result;

  // Entries that replace a different span than the identifier (string contents, `?.` insertions)
  // are kept only when they all agree on it, since a reply has a single cursor_start/cursor_end.
  const spans = new Set(info.entries.filter((e) => e.replacementSpan).map((e) => `${e.replacementSpan?.start}:${e.replacementSpan?.length}`));
  const shared = spans.size === 1 && info.entries.every((e) => e.replacementSpan) ? info.entries[0].replacementSpan : undefined;
  if (shared) ((result.start = shared.start - off), (result.end = shared.start - off + shared.length));
  const typed = code.slice(result.start, pos).replace(/^['"`]/, '');
  const want = shared ? typed : prefix;

  const entries = info.entries
    .filter((e) => (shared || !e.replacementSpan || !e.insertText) && matchName(e.name, want) && !e.name.startsWith(ALIAS_PREFIX))
    .sort((a, b) => rank(a, want) - rank(b, want) || (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : a.name.localeCompare(b.name)))
    .slice(0, MAX_ITEMS);

  if (info.isMemberCompletion && !shared && anyMemberOf === undefined && info.entries.length <= MAX_ITEMS) {
    result.members = info.entries
      .filter((e) => !e.replacementSpan && !e.insertText && !e.name.startsWith(ALIAS_PREFIX))
      .map((e): CompletionItem => ({ name: e.name, kind: e.kind, signature: '', sortText: e.sortText }));
  }

  const seen = new Set<string>();
  const deadline = Date.now() + DETAIL_BUDGET_MS;
  for (const [i, e] of entries.entries()) {
    const text = shared && e.insertText ? e.insertText : e.name;
    if (seen.has(text)) continue;
    seen.add(text);
    const item: CompletionItem = { name: text, kind: e.kind, signature: '', sortText: e.sortText };
    if (i < DETAIL_COUNT && Date.now() < deadline && e.kind !== ts.ScriptElementKind.keyword) {
      const d = ls.getCompletionEntryDetails(fileName, pos + off, e.name, {}, e.source, {}, e.data);
      if (d) item.signature = cleanDisplay(ts.displayPartsToString(d.displayParts));
    }
    result.items.push(item);
  }
  return result;
}

/** Signature texts of the named entries completed at `pos` (members whose details `completeAt` had no time for). */
export function detailsAt(ls: ts.LanguageService, cell: RenderedCell, pos: number, names: string[]): Array<{ name: string; signature: string }> {
  return names.slice(0, DETAIL_COUNT).map((name) => {
    const d = ls.getCompletionEntryDetails(cell.fileName, pos + cell.offset, name, {}, undefined, {}, undefined);
    return { name, signature: d ? cleanDisplay(ts.displayPartsToString(d.displayParts)) : '' };
  });
}

function matchName(name: string, prefix: string): boolean {
  return prefix === '' || name.toLowerCase().startsWith(prefix.toLowerCase());
}

/** Exact-case prefix matches first, then case-insensitive ones. */
function rank(e: ts.CompletionEntry, prefix: string): number {
  return prefix && !e.name.startsWith(prefix) ? 1 : 0;
}

function anyMemberExpression(ls: ts.LanguageService, fileName: string, pos: number): string | undefined {
  const program = ls.getProgram();
  const sf = program?.getSourceFile(fileName);
  if (!program || !sf) return undefined;
  const node = nodeAt(sf, pos);
  let access: ts.Node | undefined = node;
  while (access && !ts.isPropertyAccessExpression(access)) access = access.parent;
  if (!access || !ts.isPropertyAccessExpression(access) || pos < access.expression.getEnd()) return undefined;
  // Only the access being typed: the cursor is on the name, not inside a nested argument.
  if (node !== access && node !== access.name) return undefined;
  const type = program.getTypeChecker().getTypeAtLocation(access.expression);
  return type.flags & ts.TypeFlags.Any ? access.expression.getText(sf) : undefined;
}
