// Module types for notebooks written for other kernels, matching what the runner loads
// (runtime/runner/imports.ts): `npm:name@range/sub` checks against `name/sub` in the notebook's
// node_modules, and `tslab` against the built-in tslab module when no tslab package is installed.

import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { parseNpmSpecifier } from '../../runtime/runner/compat/npmSpecifier';

const COMPAT_DIR = path.join(__dirname, '..', '..', 'runtime', 'runner', 'compat');

function builtin(base: string): ts.ResolvedModuleFull | undefined {
  // dist has the .d.ts (the package as installed); src has the .ts (tests running from source).
  const dts = path.join(COMPAT_DIR, `${base}.d.ts`);
  if (fs.existsSync(dts)) return { resolvedFileName: dts, extension: ts.Extension.Dts, isExternalLibraryImport: true };
  const src = path.join(COMPAT_DIR, `${base}.ts`);
  if (fs.existsSync(src)) return { resolvedFileName: src, extension: ts.Extension.Ts, isExternalLibraryImport: false };
  return undefined;
}

/** The resolution of `npm:` and `tslab` specifiers; undefined for any other specifier. */
export function resolveCompatModule(
  lit: ts.StringLiteralLike,
  containingFile: string,
  containingSourceFile: ts.SourceFile,
  options: ts.CompilerOptions,
  host: ts.ModuleResolutionHost,
  cache: ts.ModuleResolutionCache,
): ts.ResolvedModuleFull | undefined {
  const spec = lit.text;
  if (spec !== 'tslab' && !spec.startsWith('npm:')) return undefined;
  const mode = ts.getModeForUsageLocation(containingSourceFile, lit, options);
  const npm = parseNpmSpecifier(spec);
  const r = ts.resolveModuleName(npm ? npm.path : spec, containingFile, options, host, cache, undefined, mode).resolvedModule;
  return r ?? (spec === 'tslab' ? builtin('tslab') : undefined);
}
