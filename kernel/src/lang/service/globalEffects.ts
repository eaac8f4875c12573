// Whether a cell affects the program beyond the names it declares: global augmentations
// (`declare global`), ambient modules (`declare module "x"`), side-effect imports (which may bring
// typings with globals) and triple-slash references. Such cells are never dropped from the program.
// Also the cell's triple-slash references as lines to repeat where the compiler reads them: a cell
// file starts with its generated prefix, after which a `/// <reference>` is only a comment.

import ts from 'typescript';

export function hasGlobalEffects(sf: ts.SourceFile): boolean {
  if (sf.referencedFiles.length > 0 || sf.typeReferenceDirectives.length > 0 || sf.libReferenceDirectives.length > 0) return true;
  for (const st of sf.statements) {
    if (ts.isModuleDeclaration(st) && (!ts.isIdentifier(st.name) || (st.flags & ts.NodeFlags.GlobalAugmentation) !== 0)) return true;
    if (ts.isImportDeclaration(st) && !st.importClause) return true;
    if (ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) && isRequireOrImport(st.expression)) return true;
  }
  return false;
}

function isRequireOrImport(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && ts.idText(callee) === 'require');
}

/** No references (shared by the cells without any). */
export const NO_REFERENCES: readonly string[] = [];

/** The cell's `/// <reference path|types|lib>` directives, one line each, as the compiler read them. */
export function referenceDirectives(sf: ts.SourceFile): readonly string[] {
  if (sf.referencedFiles.length === 0 && sf.typeReferenceDirectives.length === 0 && sf.libReferenceDirectives.length === 0) return NO_REFERENCES;
  const safe = (name: string): boolean => !/["\r\n]/.test(name);
  const out: string[] = [];
  for (const r of sf.referencedFiles) if (safe(r.fileName)) out.push(`/// <reference path="${r.fileName}" />`);
  for (const r of sf.typeReferenceDirectives) {
    if (!safe(r.fileName)) continue;
    const mode = r.resolutionMode === ts.ModuleKind.ESNext ? ' resolution-mode="import"' : r.resolutionMode === ts.ModuleKind.CommonJS ? ' resolution-mode="require"' : '';
    out.push(`/// <reference types="${r.fileName}"${mode} />`);
  }
  for (const r of sf.libReferenceDirectives) if (safe(r.fileName)) out.push(`/// <reference lib="${r.fileName}" />`);
  return out;
}
