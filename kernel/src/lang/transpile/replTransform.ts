// REPL semantics for a cell's JavaScript without moving lines: top-level const/let/class become
// re-declarable globals, static imports become dynamic imports resolved from the notebook's
// directory, and cells with top-level await run inside an async wrapper whose declarations are
// hoisted to globals and whose last expression is returned. Newlines are never added inside the
// cell, so every line of the output is the same line of the input. `import.meta` and top-level
// `using` go through the runner's cell helper; a source map records the columns that moved.

import * as acorn from 'acorn';
import * as walk from 'acorn-walk';
import MagicString from 'magic-string';

import { CELL_HELPER, IMPORT_HELPER } from './names';
import { CellSyntaxError } from './syntaxError';

export { IMPORT_HELPER };

export interface ReplOutput {
  code: string;
  isAsync: boolean;
  /** Names the cell declares at top level (for the debugger's and checker's benefit). */
  declared: string[];
  /** Source map (v3 JSON) from `code` to the input, at token boundaries; undefined when `code` is the input unchanged. */
  map?: string;
  /** Column (0-based, line 1) where the async wrapper's function starts, when the cell has one. */
  wrapperColumn?: number;
}

type Node = acorn.Node & Record<string, unknown>;

function parse(code: string): acorn.Program {
  try {
    return acorn.parse(code, {
      ecmaVersion: 'latest',
      sourceType: 'module',
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: false,
      allowHashBang: true,
    });
  } catch (e) {
    const err = e as SyntaxError & { loc?: { line: number; column: number } };
    const msg = err.message.replace(/ \(\d+:\d+\)$/, '');
    throw new CellSyntaxError(msg, err.loc?.line ?? 1, (err.loc?.column ?? 0) + 1);
  }
}

function patternNames(p: Node, out: string[]): void {
  switch (p.type) {
    case 'Identifier':
      out.push(p.name as string);
      break;
    case 'ObjectPattern':
      for (const prop of p.properties as Node[]) patternNames((prop.type === 'RestElement' ? prop.argument : prop.value) as Node, out);
      break;
    case 'ArrayPattern':
      for (const el of p.elements as (Node | null)[]) if (el) patternNames(el, out);
      break;
    case 'RestElement':
      patternNames(p.argument as Node, out);
      break;
    case 'AssignmentPattern':
      patternNames(p.left as Node, out);
      break;
  }
}

function hasTopLevelAwait(program: acorn.Program): boolean {
  let found = false;
  const fnTypes = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'MethodDefinition', 'PropertyDefinition', 'StaticBlock']);
  const visit = (node: Node): void => {
    if (found || !node || typeof node.type !== 'string') return;
    if (fnTypes.has(node.type)) return;
    if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await)) {
      found = true;
      return;
    }
    for (const v of Object.values(node)) {
      if (Array.isArray(v)) for (const c of v) visit(c as Node);
      else if (v && typeof v === 'object' && typeof (v as Node).type === 'string') visit(v as Node);
    }
  };
  visit(program as unknown as Node);
  return found;
}

export function replTransform(code: string): ReplOutput {
  const program = parse(code);
  const s = new MagicString(code);
  const body = program.body as unknown as Node[];
  const isAsync = hasTopLevelAwait(program) || body.some((n) => n.type === 'ImportDeclaration');
  const declared: string[] = [];

  // import(...) anywhere -> the runner's resolver (vm scripts have no dynamic import callback).
  walk.simple(program, {
    ImportExpression(n) {
      s.overwrite(n.start, n.start + 'import'.length, IMPORT_HELPER);
    },
    // A script has no import.meta: the runner's describes the cell's notional file.
    MetaProperty(n) {
      const m = n as unknown as { meta: { name: string }; property: { name: string } };
      if (m.meta.name === 'import' && m.property.name === 'meta') s.overwrite(n.start, n.end, `${CELL_HELPER}.meta`);
    },
  });

  for (const stmt of body) rewriteStatement(stmt, s, code, isAsync, declared);

  let wrapperColumn: number | undefined;
  if (isAsync) {
    const last = [...body].reverse().find((n) => n.type !== 'EmptyStatement');
    if (last && last.type === 'ExpressionStatement') {
      const expr = last.expression as Node;
      s.appendLeft(expr.start, 'return (');
      s.appendRight(expr.end, ')');
    }
    const hoist = [...new Set(declared)];
    const prefix = `${hoist.length ? `var ${hoist.join(', ')}; ` : ''}(`;
    s.prepend(`${prefix}async () => { `);
    s.append('\n})()');
    wrapperColumn = prefix.length;
  }
  // Most cells (an expression, an assignment, a call) need no edit: no map to build or to read.
  const map = s.hasChanged() ? s.generateMap({ hires: 'boundary', includeContent: false }).toString() : undefined;
  return { code: s.toString(), isAsync, declared: [...new Set(declared)], map, wrapperColumn };
}

function rewriteStatement(stmt: Node, s: MagicString, code: string, isAsync: boolean, declared: string[]): void {
  switch (stmt.type) {
    case 'VariableDeclaration': {
      const names: string[] = [];
      for (const d of stmt.declarations as Node[]) patternNames(d.id as Node, names);
      declared.push(...names);
      const kind = stmt.kind as string;
      if (kind === 'using' || kind === 'await using') {
        // Disposed by the runner when the cell ends, not when the (sync) script returns.
        for (const d of stmt.declarations as Node[]) {
          const init = d.init as Node | null;
          if (!init) continue;
          s.appendRight(init.start, `${CELL_HELPER}.using(`);
          s.appendLeft(init.end, `, ${kind === 'await using'})`);
        }
      }
      // `await   using` may have any whitespace inside: the keyword ends after `using`.
      const kwLength = kind === 'await using' ? code.indexOf('using', stmt.start) + 5 - stmt.start : kind.length;
      if (!isAsync) {
        if (kind !== 'var') {
          s.overwrite(stmt.start, stmt.start + kwLength, 'var'.padEnd(kwLength, ' '));
          // A re-run `let x;` starts from undefined, as it would in a fresh scope.
          for (const d of stmt.declarations as Node[]) if (!d.init) s.appendLeft(d.end, ' = void 0');
        }
        return;
      }
      // Inside the async wrapper: turn the declaration into assignments to the hoisted globals.
      const decls = stmt.declarations as Node[];
      s.overwrite(stmt.start, stmt.start + kwLength, '('.padEnd(kwLength, ' '));
      for (const d of decls) if (!d.init) s.appendLeft(d.end, ' = void 0');
      const lastDecl = decls[decls.length - 1];
      s.appendLeft(lastDecl.end, ')');
      return;
    }
    case 'ClassDeclaration': {
      const name = (stmt.id as Node).name as string;
      declared.push(name);
      s.appendLeft(stmt.start, isAsync ? `${name} = ` : `var ${name} = `);
      s.appendLeft(stmt.end, ';');
      return;
    }
    case 'FunctionDeclaration': {
      const name = (stmt.id as Node).name as string;
      declared.push(name);
      // Hoisted inside the wrapper; publish it as a global once the function object exists.
      if (isAsync) s.appendLeft(stmt.end, ` globalThis.${name} = ${name};`);
      return;
    }
    case 'ImportDeclaration': {
      const source = code.slice((stmt.source as Node).start, (stmt.source as Node).end);
      const specs = stmt.specifiers as Node[];
      const call = `await ${IMPORT_HELPER}(${source})`;
      const keepLines = '\n'.repeat((code.slice(stmt.start, stmt.end).match(/\n/g) ?? []).length);
      if (specs.length === 0) {
        s.overwrite(stmt.start, stmt.end, `${call};${keepLines}`);
        return;
      }
      const parts: string[] = [];
      const named: string[] = [];
      let ns: string | undefined;
      for (const sp of specs) {
        const local = (sp.local as Node).name as string;
        declared.push(local);
        if (sp.type === 'ImportDefaultSpecifier') named.push(`default: ${local}`);
        else if (sp.type === 'ImportNamespaceSpecifier') ns = local;
        else {
          const imported = sp.imported as Node;
          const importedName = imported.type === 'Literal' ? JSON.stringify(imported.value) : (imported.name as string);
          named.push(importedName === local ? local : `${importedName}: ${local}`);
        }
      }
      if (ns) parts.push(`${ns} = ${call}`);
      if (named.length) parts.push(`({${named.join(', ')}} = ${ns ?? call})`);
      s.overwrite(stmt.start, stmt.end, `${parts.join('; ')};${keepLines}`);
      return;
    }
    case 'ExportNamedDeclaration': {
      if (stmt.declaration) {
        s.remove(stmt.start, (stmt.declaration as Node).start);
        rewriteStatement(stmt.declaration as Node, s, code, isAsync, declared);
      } else {
        s.overwrite(stmt.start, stmt.end, ';');
      }
      return;
    }
    case 'ExportDefaultDeclaration': {
      s.remove(stmt.start, (stmt.declaration as Node).start);
      return;
    }
  }
}
