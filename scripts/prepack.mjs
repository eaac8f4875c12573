// `npm pack` / `npm publish` of the kernel and agent packages (their prepack/postpack scripts):
// copies the repository's LICENSE (and, for tskernel, README.md and the prebuilt JupyterLab
// extension as kernel/labextension, where `tskernel install` finds it) into the package folder,
// after checking that the build outputs the package ships exist (the single-file agent only
// warns: it needs remote.ts to use spawnWorker). `--clean` removes the copies.
//   node ../scripts/prepack.mjs kernel|agent [--clean]
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [which, flag] = process.argv.slice(2);
const PACKAGES = {
  kernel: {
    copies: [
      ['LICENSE', 'LICENSE'],
      ['README.md', 'README.md'],
      ['labextension/prebuilt', 'labextension'],
    ],
    needs: ['dist/cli/main.js', 'dist/index.js', 'dist/index.d.ts', 'dist/vendor/typescript.js', 'dist/vendor/typescript.json'],
    single: 'agent-file/tskernel-agent.cjs',
  },
  agent: {
    copies: [['LICENSE', 'LICENSE']],
    needs: ['dist/index.js', 'dist/remoteWorker.js'],
    single: 'dist/tskernel-agent.cjs',
  },
};
const pkg = PACKAGES[which];
if (!pkg) {
  console.error('usage: prepack.mjs kernel|agent [--clean]');
  process.exit(2);
}
const dir = join(ROOT, which);
if (flag === '--clean') {
  for (const [, to] of pkg.copies) rmSync(join(dir, to), { recursive: true, force: true });
  process.exit(0);
}
const missing = [...pkg.needs.map((f) => join(dir, f)), ...pkg.copies.map(([from]) => join(ROOT, from))].filter((f) => !existsSync(f));
if (missing.length) {
  console.error(`prepack ${which}: missing ${missing.join(', ')} (run npm run build at the repository root first)`);
  process.exit(1);
}
// Only a warning: scripts/build-agent.mjs explains why it could not build the single file, and
// the pack test (test/pack) fails on a tarball without it.
if (!existsSync(join(dir, pkg.single))) console.warn(`prepack ${which}: WARNING: ${pkg.single} is missing, the package will lack the single-file agent (see the warning of scripts/build-agent.mjs)`);
for (const [from, to] of pkg.copies) {
  rmSync(join(dir, to), { recursive: true, force: true });
  cpSync(join(ROOT, from), join(dir, to), { recursive: true });
}
