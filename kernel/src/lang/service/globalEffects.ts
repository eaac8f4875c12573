// Whether a cell affects the program beyond the names it declares: global augmentations
// (`declare global`), ambient modules (`declare module "x"`), side-effect imports (which may bring
// typings with globals) and triple-slash references. Such cells are never dropped from the program.

import * as ts from 'typescript';

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
