// Runs every benchmark (core, language service, debugger, attach) one after another; each prints its
// table and writes bench/results/<name>.json. `--peers` adds the side-by-side run against Deno,
// tslab and ipykernel (bench/peers.mjs, installs them on first use); `--only a,b` picks benchmarks
// (e.g. `npm run bench -- --peers --only peers`). Other arguments go to peers.mjs (--rounds N).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set(String(args[onlyAt + 1] ?? '').split(',')) : undefined;
const names = ['core', 'lang', 'debugger', 'attach', 'stress-detach', 'stress-attach-pid', 'stress-interrupt', 'memory', ...(args.includes('--peers') ? ['peers'] : [])];
const peerArgs = args.filter((a, i) => a !== '--peers' && (onlyAt < 0 || (i !== onlyAt && i !== onlyAt + 1)));
let failed = false;
for (const name of names) {
  const file = join(here, `${name}.mjs`);
  if (!existsSync(file) || (only && !only.has(name))) continue;
  console.log(`\n## ${name}`);
  const r = spawnSync(process.execPath, [file, ...(name === 'peers' ? peerArgs : [])], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
