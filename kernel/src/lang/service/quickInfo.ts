// Inspection (Shift+Tab) at a cursor: TypeScript's quick info for the symbol under or just before
// the cursor; for names from earlier cells, the info at their declaration in the defining cell
// (not at the generated import); inside a call's parentheses, the callee's signature. The doc
// comment is read from the declaration (docComments.ts: the program keeps no JSDoc of .ts files).
// Detail level ≥ 1 adds the declaration's source text.

import * as path from 'node:path';
import ts from 'typescript';
import type { InspectResult } from './protocol';
import type { NotebookModel, RenderedCell } from './notebookModel';
import { cleanDisplay, docText, tagLines } from './display';
import { declarationOf } from './declaredNames';
import { type DocComment, readDocComment } from './docComments';
import { nodeAt } from './parse';

const SOURCE_MAX_LINES = 40;
const NOT_FOUND: InspectResult = { found: false, signature: '', documentation: '', tags: [], kind: '' };

interface Located {
  qi: ts.QuickInfo;
  file: string;
  /** Where the symbol is declared (its doc comment is read there). */
  defs: readonly ts.DefinitionInfo[];
}

/** The original file and 0-based line of a position in a file the host joined from others (libBundle.ts). */
export type OriginOf = (fileName: string, pos: number) => { fileName: string; line: number } | undefined;

export function inspectAt(ls: ts.LanguageService, model: NotebookModel, cell: RenderedCell, pos: number, detailLevel: number, originOf: OriginOf = () => undefined): InspectResult {
  const found = locate(ls, model, cell, pos);
  let result: InspectResult;
  if (found) {
    const { qi } = found;
    result = {
      found: true,
      signature: cleanDisplay(ts.displayPartsToString(qi.displayParts)),
      documentation: docText(qi.documentation),
      tags: tagLines(qi.tags),
      kind: qi.kind,
    };
    if (!result.documentation && result.tags.length === 0) withDocs(result, readDocComment(ls.getProgram(), found.defs));
  } else {
    const help = ls.getSignatureHelpItems(cell.fileName, pos + cell.offset, undefined);
    const item = help?.items[help.selectedItemIndex];
    if (!help || !item) return NOT_FOUND;
    const params = item.parameters.map((p) => ts.displayPartsToString(p.displayParts)).join(ts.displayPartsToString(item.separatorDisplayParts));
    result = {
      found: true,
      signature: ts.displayPartsToString(item.prefixDisplayParts) + params + ts.displayPartsToString(item.suffixDisplayParts),
      documentation: docText(item.documentation),
      tags: tagLines(item.tags),
      kind: 'call',
    };
    if (!result.documentation && result.tags.length === 0) withDocs(result, readDocComment(ls.getProgram(), calleeDefinitions(ls, cell.fileName, help.applicableSpan.start)));
  }
  const def = found && primaryDefinition(found.defs, found.file);
  if (detailLevel >= 1 && def) result.source = sourceOf(ls, model, def, originOf);
  return result;
}

function withDocs(result: InspectResult, doc: DocComment | undefined): void {
  if (doc) ((result.documentation = doc.documentation), (result.tags = doc.tags));
}

/** Where the callee of the call whose arguments start at `argsStart` is declared. */
function calleeDefinitions(ls: ts.LanguageService, file: string, argsStart: number): readonly ts.DefinitionInfo[] | undefined {
  const sf = ls.getProgram()?.getSourceFile(file);
  let node = sf ? nodeAt(sf, argsStart) : undefined;
  while (node && !((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments && node.arguments.pos === argsStart)) node = node.parent;
  return node && (ts.isCallExpression(node) || ts.isNewExpression(node)) ? ls.getDefinitionAtPosition(file, node.expression.getEnd() - 1) : undefined;
}

function locate(ls: ts.LanguageService, model: NotebookModel, cell: RenderedCell, pos: number): Located | undefined {
  const file = cell.fileName;
  const off = cell.offset;
  const inCell = (q: ts.QuickInfo | undefined): q is ts.QuickInfo => q !== undefined && q.textSpan.start >= off && q.textSpan.start + q.textSpan.length <= off + cell.blanked.length;
  let qi = ls.getQuickInfoAtPosition(file, pos + off);
  if (!inCell(qi) && pos > 0) qi = ls.getQuickInfoAtPosition(file, pos + off - 1);
  if (!inCell(qi)) return undefined;
  const name = cell.blanked.slice(qi.textSpan.start - off, qi.textSpan.start - off + qi.textSpan.length);
  const definer = cell.imported.get(name);
  if (definer && refersToPrefix(ls, file, qi.textSpan.start, off)) {
    // A name from an earlier cell: describe it where that cell declares it.
    const sf = ls.getProgram()?.getSourceFile(definer.fileName);
    const id = sf ? declarationOf(sf, name) : undefined;
    const there = id && sf ? ls.getQuickInfoAtPosition(definer.fileName, id.getStart(sf)) : undefined;
    if (id && sf && there) return { qi: there, file: definer.fileName, defs: ls.getDefinitionAtPosition(definer.fileName, there.textSpan.start) ?? [] };
  }
  return { qi, file, defs: ls.getDefinitionAtPosition(file, qi.textSpan.start) ?? [] };
}

/** Whether the identifier at `pos` resolves to the generated prefix (a name from an earlier cell). */
function refersToPrefix(ls: ts.LanguageService, file: string, pos: number, off: number): boolean {
  const program = ls.getProgram();
  const sf = program?.getSourceFile(file);
  const node = sf ? nodeAt(sf, pos) : undefined;
  if (!program || !node || !ts.isIdentifier(node)) return false;
  const decls = program.getTypeChecker().getSymbolAtLocation(node)?.declarations ?? [];
  return decls.length > 0 && decls.every((d) => d.getSourceFile() === sf && d.getStart() < off);
}

/** The declaration whose source detail level 1 shows: one outside `file` (the cell) if any. */
function primaryDefinition(defs: readonly ts.DefinitionInfo[], file: string): ts.DefinitionInfo | undefined {
  return defs.find((d) => d.fileName !== file) ?? defs[0];
}

function sourceOf(ls: ts.LanguageService, model: NotebookModel, def: ts.DefinitionInfo, originOf: OriginOf): InspectResult['source'] {
  const sf = ls.getProgram()?.getSourceFile(def.fileName);
  if (!sf) return undefined;
  const span = def.contextSpan ?? def.textSpan;
  const lines = sf.text.slice(span.start, span.start + span.length).split('\n');
  const text = lines.length > SOURCE_MAX_LINES ? [...lines.slice(0, SOURCE_MAX_LINES), '…'].join('\n') : lines.join('\n');
  const label = model.labelOf(def.fileName);
  // Cell files start with the generated one-line prefix, so line numbers inside them are right.
  const { fileName, line } = originOf(def.fileName, span.start) ?? { fileName: def.fileName, line: sf.getLineAndCharacterOfPosition(span.start).line };
  const where = label ? `${label}, line ${line + 1}` : `${path.relative(model.dir, fileName)}:${line + 1}`;
  return { text, where };
}
