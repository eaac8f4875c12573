// Doc comments for inspection, read on demand. The program parses TypeScript files without their
// JSDoc (JSDocParsingMode.ParseForTypeErrors: in a .ts or .d.ts file a doc comment carries no
// types), which keeps ~5 MB of comment nodes of the lib and Node typings out of the compiler
// worker's heap and makes its start ~10% shorter. When Shift+Tab asks about a symbol, the doc
// comments just before its declaration are parsed on their own: their text, and their tags as
// `@param x description` lines. Nothing is kept.

import ts from 'typescript';
import { nodeAt } from './parse';

/** How TypeScript parses the program's files: doc comments only where they carry types (JS). */
export const PROGRAM_JSDOC_MODE = ts.JSDocParsingMode.ParseForTypeErrors;

export interface DocComment {
  documentation: string;
  tags: string[];
}

/** Where a symbol is declared: a file and the span of the declaration's name. */
export interface DeclarationSite {
  fileName: string;
  textSpan: ts.TextSpan;
}

/** The doc comment of the first of `sites` whose declaration has one. */
export function readDocComment(program: ts.Program | undefined, sites: readonly DeclarationSite[] | undefined): DocComment | undefined {
  for (const site of sites ?? []) {
    const sf = program?.getSourceFile(site.fileName);
    const doc = sf ? docAt(sf, site.textSpan.start) : undefined;
    if (doc) return doc;
  }
  return undefined;
}

/** The JSDoc of the declaration whose name is at `pos` (not of an enclosing declaration). */
function docAt(sf: ts.SourceFile, pos: number): DocComment | undefined {
  const node = nodeAt(sf, pos);
  if (!node) return undefined;
  const named = ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || ts.isStringLiteral(node) || ts.isNumericLiteral(node);
  const decl = named ? node.parent : node;
  if (ts.isParameter(decl)) return parameterDoc(sf, decl);
  const items = jsDocOf(sf, decl);
  if (!items) return undefined;
  const docs: string[] = [];
  const tags: string[] = [];
  for (const doc of items.docs) {
    const text = ts.getTextOfJSDocComment(doc.comment)?.trim();
    if (text) docs.push(text);
    for (const tag of doc.tags ?? []) tags.push(tagLine(tag, items.sf));
  }
  return docs.length || tags.length ? { documentation: docs.join('\n\n'), tags } : undefined;
}

/** A parameter's documentation: its `@param` description in its function's doc comment. */
function parameterDoc(sf: ts.SourceFile, param: ts.ParameterDeclaration): DocComment | undefined {
  if (!ts.isIdentifier(param.name)) return undefined;
  const name = param.name.text;
  const fn = param.parent;
  const items = jsDocOf(sf, ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) ? fn.parent : fn);
  if (!items) return undefined;
  for (const doc of items.docs) {
    for (const tag of doc.tags ?? []) {
      if (ts.isJSDocParameterTag(tag) && tag.name.getText(items.sf) === name) {
        const text = ts
          .getTextOfJSDocComment(tag.comment)
          ?.replace(/^\s*-\s*/, '')
          .trim();
        if (text) return { documentation: text, tags: [] };
      }
    }
  }
  return undefined;
}

/**
 * The doc comments (`/** … *\/`) in the trivia before `decl` (or before the statement a variable
 * is declared in), parsed on their own before a stand-in declaration.
 */
function jsDocOf(sf: ts.SourceFile, decl: ts.Node): { docs: readonly ts.JSDoc[]; sf: ts.SourceFile } | undefined {
  const hosts = [decl];
  if (ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent)) hosts.push(decl.parent.parent);
  for (const host of hosts) {
    // Also a doc comment on the line of the token before (TypeScript would see that one as the
    // token's trailing comment): a cell's first line follows its file's generated prefix.
    const around = [...(ts.getTrailingCommentRanges(sf.text, host.pos) ?? []), ...(ts.getLeadingCommentRanges(sf.text, host.pos) ?? [])];
    const comments = around.filter((c) => c.kind === ts.SyntaxKind.MultiLineCommentTrivia && sf.text.startsWith('/**', c.pos) && !sf.text.startsWith('/**/', c.pos));
    if (comments.length === 0) continue;
    const text = comments.map((c) => sf.text.slice(c.pos, c.end)).join('\n');
    const alone = ts.createSourceFile('doc.ts', `${text}\ndeclare function __doc(): void;`, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseAll }, true);
    const docs = ts.getJSDocCommentsAndTags(alone.statements[0]).filter(ts.isJSDoc);
    if (docs.length) return { docs, sf: alone };
  }
  return undefined;
}

/** `@param x description`, `@returns description`, `@see target description`, … */
function tagLine(tag: ts.JSDocTag, sf: ts.SourceFile): string {
  const parts = [`@${tag.tagName.text}`];
  if (ts.isJSDocParameterTag(tag) || ts.isJSDocPropertyTag(tag)) parts.push(tag.name.getText(sf));
  else if (ts.isJSDocSeeTag(tag) && tag.name) parts.push(tag.name.getText(sf));
  else if (ts.isJSDocTemplateTag(tag)) parts.push(tag.typeParameters.map((p) => p.name.text).join(', '));
  const text = ts.getTextOfJSDocComment(tag.comment)?.trim();
  if (text) parts.push(text);
  return parts.join(' ');
}
