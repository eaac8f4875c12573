// The full TypeScript transform for cells that type stripping cannot run: enums, namespaces,
// parameter properties, TS 5 standard decorators, `using` / `await using` (Node 20 has neither,
// so they are downlevelled), and JSX (automatic runtime, `@jsxImportSource` honoured). Uses the
// TypeScript compiler API per cell (no type information needed) and returns a source map, so
// every position can be mapped back to the cell. Top-level `using` declarations are handed to
// the runner (CELL_HELPER.using) instead of being wrapped in try/finally by TypeScript: that
// would turn the cell's declarations into block locals and hide its last expression.

import type * as TS from 'typescript';
import { CELL_HELPER } from './names';
import { CellSyntaxError } from './syntaxError';
import { loadTypescript } from '../typescriptModule';

let tsModule: typeof TS | undefined;
function ts(): typeof TS {
  tsModule ??= loadTypescript();
  return tsModule;
}

export interface TransformResult {
  code: string;
  /** Source map v3 JSON from `code` to the input. */
  map: string;
}

export interface TransformOptions {
  /** The input is JavaScript (no types to remove). */
  javascript?: boolean;
  /** Parse JSX (a `.tsx` / `.jsx` file). */
  jsx?: boolean;
  /** A local module, not a cell: top-level `using` is TypeScript's to downlevel. */
  module?: boolean;
}

/** Code that strip-only mode would accept but run wrongly or not at all on Node 20. */
const NEEDS_FULL = /(^|[^\w$.])(?:@[A-Za-z_$]|using\s+[A-Za-z_$[{]|await\s+using\b)/m;

/** A cheap over-approximation: decorators and `using` may be present. */
export function mayNeedFullTransform(code: string): boolean {
  return NEEDS_FULL.test(code);
}

/** A cheap guess that a cell which failed to parse uses JSX. */
export function looksLikeJsx(code: string): boolean {
  return /<>|<\/[A-Za-z]|<[A-Za-z][\w.:-]*(\s+[\w:-]+(=|\s|\/|>)|\s*\/?>)/.test(code);
}

export function fullTransform(code: string, filename: string, opts: TransformOptions = {}): TransformResult {
  const t = ts();
  if (code.includes('@')) rejectParameterDecorators(code, filename);
  const ext = opts.javascript ? (opts.jsx ? '.jsx' : '.js') : opts.jsx ? '.tsx' : '.ts';
  const fileName = filename.replace(/\.[^./\\]*$/, '') + ext;
  const out = t.transpileModule(code, {
    fileName,
    reportDiagnostics: true,
    transformers: { before: opts.module ? [] : [topLevelUsing] },
    compilerOptions: {
      target: t.ScriptTarget.ES2022,
      module: t.ModuleKind.ESNext,
      // Imports stay as written (a later cell may use what this one imports).
      verbatimModuleSyntax: true,
      moduleDetection: t.ModuleDetectionKind.Force,
      allowJs: true,
      experimentalDecorators: false,
      useDefineForClassFields: true,
      jsx: t.JsxEmit.ReactJSX,
      jsxImportSource: 'react',
      sourceMap: true,
      inlineSources: false,
      removeComments: false,
    },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === t.DiagnosticCategory.Error && d.start !== undefined);
  // verbatimModuleSyntax complains about CommonJS-only forms that cells never produce.
  if (errors.length) throw diagnosticError(code, errors[0]);
  const js = out.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  return { code: js, map: out.sourceMapText ?? '' };
}

function diagnosticError(code: string, d: TS.Diagnostic): CellSyntaxError {
  const t = ts();
  const message = t.flattenDiagnosticMessageText(d.messageText, ' ');
  const before = code.slice(0, d.start ?? 0);
  const line = before.split('\n').length;
  const column = (d.start ?? 0) - (before.lastIndexOf('\n') + 1) + 1;
  return new CellSyntaxError(withHint(message), line, column);
}

/**
 * Parameter decorators exist only with experimentalDecorators; the standard-decorator emit drops
 * them without a word, so they are refused here instead of silently doing nothing.
 */
function rejectParameterDecorators(code: string, filename: string): void {
  const t = ts();
  const sf = t.createSourceFile(filename, code, t.ScriptTarget.ES2022, true, t.ScriptKind.TSX);
  const visit = (node: TS.Node): void => {
    if (t.isParameter(node)) {
      const dec = node.modifiers?.find((m) => m.kind === t.SyntaxKind.Decorator);
      if (dec) {
        const { line, character } = sf.getLineAndCharacterOfPosition(dec.getStart(sf));
        throw new CellSyntaxError(withHint('Decorators are not valid here.'), line + 1, character + 1);
      }
    }
    t.forEachChild(node, visit);
  };
  visit(sf);
}

/** What the kernel does not support, said in the message instead of a bare parser error. */
function withHint(message: string): string {
  if (/^Decorators are not valid here/.test(message)) {
    return `${message} (tskernel compiles TypeScript 5 standard decorators on classes and class members; parameter decorators and experimentalDecorators are not supported)`;
  }
  if (/Import assignment cannot be used|'export =' is not supported|ECMAScript imports and exports cannot be written using TypeScript/.test(message)) {
    return `${message} (cells are ES modules: use import/export or require())`;
  }
  return message;
}

/** `using x = e` / `await using x = e` at the top level -> `const x = CELL_HELPER.using(e, async)`. */
function topLevelUsing(context: TS.TransformationContext): TS.Transformer<TS.SourceFile> {
  const t = ts();
  const f = context.factory;
  return (sf) => {
    let changed = false;
    const statements = sf.statements.map((st) => {
      if (!t.isVariableStatement(st)) return st;
      const flags = st.declarationList.flags;
      const kind = flags & t.NodeFlags.BlockScoped;
      if (kind !== t.NodeFlags.Using && kind !== t.NodeFlags.AwaitUsing) return st;
      changed = true;
      const isAsync = kind === t.NodeFlags.AwaitUsing;
      const decls = st.declarationList.declarations.map((d) => {
        const init = d.initializer ?? f.createVoidZero();
        const call = f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier(CELL_HELPER), 'using'), undefined, [init, isAsync ? f.createTrue() : f.createFalse()]);
        t.setTextRange(call, init);
        return t.setTextRange(f.updateVariableDeclaration(d, d.name, d.exclamationToken, d.type, call), d);
      });
      const list = t.setTextRange(f.createVariableDeclarationList(decls, t.NodeFlags.Const), st.declarationList);
      return t.setOriginalNode(t.setTextRange(f.updateVariableStatement(st, st.modifiers, list), st), st);
    });
    return changed ? f.updateSourceFile(sf, statements) : sf;
  };
}
