// Types for the `tskernel/...` modules the runner hands to cells (runtime/runner/imports.ts
// resolves `tskernel/display` to this kernel's own displayApi.js, installed anywhere). The
// notebook's folder usually has no `tskernel` package, so TypeScript's resolver would report
// TS2307: point it at the declarations next to that module instead.

import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const RUNNER_DIR = path.join(__dirname, '..', '..', 'runtime', 'runner');
const MODULES = new Map<string, string>([['tskernel/display', 'displayApi']]);

/** The resolution of a kernel-provided specifier, or undefined for any other specifier. */
export function resolveKernelModule(specifier: string): ts.ResolvedModuleFull | undefined {
  const base = MODULES.get(specifier);
  if (!base) return undefined;
  // dist has the .d.ts (the package as installed); src has the .ts (tests running from source).
  const dts = path.join(RUNNER_DIR, `${base}.d.ts`);
  if (fs.existsSync(dts)) return { resolvedFileName: dts, extension: ts.Extension.Dts, isExternalLibraryImport: true };
  const src = path.join(RUNNER_DIR, `${base}.ts`);
  if (fs.existsSync(src)) return { resolvedFileName: src, extension: ts.Extension.Ts, isExternalLibraryImport: false };
  return undefined;
}
