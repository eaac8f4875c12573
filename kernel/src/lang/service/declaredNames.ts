// The names a cell declares at its top level: variables (with destructuring), functions, classes,
// interfaces, type aliases, enums, namespaces, and import bindings. These are what a later cell can
// see. Also notes which are `const` (assigning them later is an error) and which the cell already
// exports itself (so the model does not export them twice).

import ts from 'typescript';

export interface DeclaredNames {
  /** Every top-level name, in first-declaration order. */
  names: string[];
  /** Names declared with `const` (or `using`). */
  consts: Set<string>;
  /** Names declared only as `let`/`var` variables (assignable from later cells). */
  variables: Set<string>;
  /** Names the cell exports under the same name already. */
  exported: Set<string>;
}

export function declaredNames(sf: ts.SourceFile): DeclaredNames {
  const seen = new Set<string>();
  const out: DeclaredNames = { names: [], consts: new Set(), variables: new Set(), exported: new Set() };
  const nonVariables = new Set<string>();
  const add = (id: ts.Identifier | undefined, exported = false, variable = false): void => {
    if (!id) return;
    const name = ts.idText(id);
    if (!variable) nonVariables.add(name);
    if (!seen.has(name)) (seen.add(name), out.names.push(name));
    if (exported) out.exported.add(name);
  };
  for (const st of sf.statements) {
    const exported = hasExportModifier(st);
    if (ts.isVariableStatement(st)) {
      const isConst = (st.declarationList.flags & ts.NodeFlags.Constant) !== 0;
      for (const d of st.declarationList.declarations) {
        for (const id of bindingIdentifiers(d.name)) {
          add(id, exported, true);
          (isConst ? out.consts : out.variables).add(ts.idText(id));
        }
      }
    } else if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) {
      add(st.name, exported && !hasDefaultModifier(st));
    } else if (ts.isModuleDeclaration(st)) {
      if (ts.isIdentifier(st.name) && !(st.flags & ts.NodeFlags.GlobalAugmentation)) add(st.name, exported);
    } else if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      if (!clause) continue;
      add(clause.name);
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) add(nb.name);
      else if (nb) for (const el of nb.elements) add(el.name);
    } else if (ts.isImportEqualsDeclaration(st)) {
      add(st.name, exported);
    } else if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) if (ts.isIdentifier(el.name)) out.exported.add(ts.idText(el.name));
    }
  }
  for (const name of [...out.consts, ...nonVariables]) out.variables.delete(name);
  return out;
}

function bindingIdentifiers(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const ids: ts.Identifier[] = [];
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) ids.push(...bindingIdentifiers(el.name));
  return ids;
}

function hasExportModifier(node: ts.Statement): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function hasDefaultModifier(node: ts.Statement): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
}

/** The identifier that declares `name` at the top level of `sf` (first declaration). */
export function declarationOf(sf: ts.SourceFile, name: string): ts.Identifier | undefined {
  for (const st of sf.statements) {
    const ids: Array<ts.Identifier | undefined> = [];
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) ids.push(...bindingIdentifiers(d.name));
    else if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) ids.push(st.name);
    else if (ts.isModuleDeclaration(st) && ts.isIdentifier(st.name)) ids.push(st.name);
    else if (ts.isImportEqualsDeclaration(st)) ids.push(st.name);
    else if (ts.isImportDeclaration(st) && st.importClause) {
      const { name: def, namedBindings: nb } = st.importClause;
      ids.push(def);
      if (nb && ts.isNamespaceImport(nb)) ids.push(nb.name);
      else if (nb) for (const el of nb.elements) ids.push(el.name);
    }
    const hit = ids.find((id) => id !== undefined && ts.idText(id) === name);
    if (hit) return hit;
  }
  return undefined;
}
