#!/usr/bin/env node
// Builds the prebuilt (federated) extension: tsc (src -> lib), then @jupyterlab/builder's
// build-labextension against the bundled app's package.json (../lab/app: shared singletons and
// versions) into prebuilt/ (package.json + static/remoteEntry.*.js + schemas/). The webpack step
// is skipped when prebuilt/ is newer than lib/, style/, schema/ and package.json (--force
// rebuilds; --development for an unminified build with source maps). Quiet unless it fails.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const t0 = Date.now();

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newest(path.join(p, e)));
  return m;
}

const tsc = require.resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', HERE], { stdio: 'inherit' });
} catch {
  console.error('labextension: tsc failed');
  process.exit(1);
}

const stamp = path.join(HERE, 'prebuilt', 'package.json');
const inputs = ['lib', 'style', 'schema', 'package.json', path.join('..', 'lab', 'app', 'package.json')];
const stale = args.includes('--force') || !fs.existsSync(stamp) || inputs.some((p) => newest(path.join(HERE, p)) > fs.statSync(stamp).mtimeMs);
if (!stale) {
  console.log('labextension: prebuilt/ is up to date');
  process.exit(0);
}
const builder = require.resolve('@jupyterlab/builder/lib/build-labextension.js');
const r = spawnSync(process.execPath, [builder, ...(args.includes('--development') ? ['--development'] : []), '--core-path', path.join(HERE, '..', 'lab', 'app'), HERE], {
  encoding: 'utf8',
  cwd: HERE,
});
if (r.status !== 0 || !/compiled successfully/.test(r.stdout)) {
  process.stderr.write(r.stdout.slice(-6000) + r.stderr.slice(-4000));
  console.error('labextension: build-labextension failed');
  process.exit(1);
}
const pkg = JSON.parse(fs.readFileSync(stamp, 'utf8'));
console.log(`labextension: built prebuilt/ (${pkg.jupyterlab._build.load}) in ${Date.now() - t0} ms`);
