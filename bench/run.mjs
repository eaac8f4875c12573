// Runs every benchmark (core, language service, debugger, attach) one after another; each prints its
// table and writes bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let failed = false;
for (const name of ['core', 'lang', 'debugger', 'attach', 'stress-detach']) {
  const file = join(here, `${name}.mjs`);
  if (!existsSync(file)) continue;
  console.log(`\n## ${name}`);
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
