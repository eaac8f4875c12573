// Compiler options for a notebook: ES2022 target, lib ES2023 (no DOM), module "preserve" with
// bundler resolution (finds ESM and CJS typings, allows top-level await and extensionless or
// `.ts` local imports), strict for TypeScript, allowJs without checkJs for JavaScript. A
// tsconfig.json in the notebook directory may add options; the ones the kernel relies on win.
// Also finds @types/node: the notebook's own copy, else the kernel package's copy. JSX is checked
// as the runner compiles it (automatic runtime, React unless a pragma or tsconfig says otherwise);
// decorators are TS 5 standard decorators, as the runner compiles them.

import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

export function compilerOptionsFor(language: 'typescript' | 'javascript', notebookDir: string): ts.CompilerOptions {
  const user = readNotebookTsconfig(notebookDir);
  const base: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    strict: language === 'typescript',
    esModuleInterop: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    jsx: ts.JsxEmit.ReactJSX,
    jsxImportSource: 'react',
    ...user,
  };
  return {
    ...base,
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    moduleDetection: ts.ModuleDetectionKind.Force,
    allowJs: true,
    checkJs: false,
    // The runner compiles standard decorators only; a tsconfig asking for legacy ones would make
    // the checker accept code that does not run as it expects.
    experimentalDecorators: false,
    noEmit: true,
    allowImportingTsExtensions: true,
    isolatedModules: false,
    verbatimModuleSyntax: false,
    composite: false,
    declaration: false,
    incremental: false,
    noUnusedLocals: false,
    noUnusedParameters: false,
    allowUnreachableCode: true,
    allowUnusedLabels: true,
    skipLibCheck: true,
    types: base.types,
  };
}

function readNotebookTsconfig(dir: string): ts.CompilerOptions {
  const file = path.join(dir, 'tsconfig.json');
  if (!fs.existsSync(file)) return {};
  const read = ts.readConfigFile(file, (p) => ts.sys.readFile(p));
  if (read.error || typeof read.config !== 'object' || read.config === null) return {};
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dir, undefined, file);
  return parsed.options;
}

/** `index.d.ts` of @types/node to add as a root file, or undefined when the notebook has its own. */
export function nodeTypesFallback(notebookDir: string): string | undefined {
  for (let dir = path.resolve(notebookDir); ;) {
    if (fs.existsSync(path.join(dir, 'node_modules', '@types', 'node', 'index.d.ts'))) return undefined;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  try {
    return path.join(path.dirname(require.resolve('@types/node/package.json', { paths: [__dirname] })), 'index.d.ts');
  } catch {
    return undefined;
  }
}
