// Writes kernel/dist/vendor/typescript.js (part of `npm run build`): the TypeScript compiler the
// kernel depends on, minified with esbuild, and typescript.json naming its version. V8 keeps a
// script's whole source on the heap of every thread that loads it: 8.7 MB for lib/typescript.js,
// 3.4 MB for this copy (the language worker's live heap drops by ~5 MB), and it loads ~100 ms
// sooner. The copy keeps reading its lib .d.ts files (and locale messages) from the installed
// package: `__filename`, which TypeScript derives those paths from, names the installed
// lib/typescript.js. lang/typescriptModule.ts uses the copy only when the installed version is the
// one it was built from. The Apache-2.0 notice (a /*! */ comment) stays in the copy.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'kernel', 'dist', 'vendor');
const require = createRequire(join(ROOT, 'kernel', 'package.json'));
const source = require.resolve('typescript');
const { version } = require('typescript/package.json');

mkdirSync(OUT, { recursive: true });
await esbuild.build({
  entryPoints: [source],
  outfile: join(OUT, 'typescript.js'),
  bundle: false,
  minify: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  legalComments: 'inline',
  define: { __filename: '__tskernelTypescriptFile' },
  banner: { js: `// TypeScript ${version} minified by tskernel's scripts/build-typescript.mjs.\nvar __tskernelTypescriptFile = require.resolve("typescript/lib/typescript.js");` },
  logLevel: 'warning',
});
writeFileSync(join(OUT, 'typescript.json'), `${JSON.stringify({ version }, null, 2)}\n`);
