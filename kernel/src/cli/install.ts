// Writes and removes the `typescript` and `javascript` kernelspecs (kernel.json + logos) in the
// user's, the Python environment's (--sys-prefix) or a given prefix's Jupyter data directory.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type InstallTarget = { kind: 'user' } | { kind: 'sys-prefix' } | { kind: 'prefix'; dir: string };

const ASSETS = path.join(__dirname, '..', '..', 'kernelspec-assets');
const MAIN = path.join(__dirname, 'main.js');

export const KERNELSPECS = [
  { name: 'typescript', language: 'typescript', display: 'TypeScript (tskernel)', logo: 'ts' },
  { name: 'javascript', language: 'javascript', display: 'JavaScript (tskernel)', logo: 'js' },
] as const;

function pythonPrefix(): string {
  const env = process.env.CONDA_PREFIX || process.env.VIRTUAL_ENV;
  if (env) return env;
  for (const py of ['python3', '/usr/bin/python3']) {
    try {
      return execFileSync(py, ['-c', 'import sys; print(sys.prefix)'], { encoding: 'utf8' }).trim();
    } catch {
      /* try the next one */
    }
  }
  throw new Error('--sys-prefix: no Python found to tell the environment prefix; use --prefix DIR');
}

export function kernelsDir(target: InstallTarget): string {
  switch (target.kind) {
    case 'user': {
      const data = process.env.JUPYTER_DATA_DIR || path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'jupyter');
      return path.join(data, 'kernels');
    }
    case 'sys-prefix':
      return path.join(pythonPrefix(), 'share', 'jupyter', 'kernels');
    case 'prefix':
      return path.join(path.resolve(target.dir), 'share', 'jupyter', 'kernels');
  }
}

export function kernelJson(language: 'typescript' | 'javascript', display: string): object {
  return {
    argv: [process.execPath, MAIN, 'kernel', '-f', '{connection_file}', '--language', language],
    display_name: display,
    language,
    interrupt_mode: 'signal',
    metadata: { debugger: true },
  };
}

export function install(target: InstallTarget): string[] {
  const root = kernelsDir(target);
  const out: string[] = [];
  for (const spec of KERNELSPECS) {
    const dir = path.join(root, spec.name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(kernelJson(spec.language, spec.display), null, 2) + '\n');
    for (const [from, to] of [
      [`${spec.logo}-32x32.png`, 'logo-32x32.png'],
      [`${spec.logo}-64x64.png`, 'logo-64x64.png'],
      [`${spec.logo}.svg`, 'logo-svg.svg'],
    ]) {
      const src = path.join(ASSETS, from);
      if (fs.existsSync(src)) fs.copyFileSync(src, path.join(dir, to));
    }
    out.push(`installed kernelspec ${spec.name} in ${dir}`);
  }
  return out;
}

export function uninstall(target: InstallTarget): string[] {
  const root = kernelsDir(target);
  const out: string[] = [];
  for (const spec of KERNELSPECS) {
    const dir = path.join(root, spec.name);
    const file = path.join(dir, 'kernel.json');
    // Only remove specs that are ours.
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(MAIN)) {
      fs.rmSync(dir, { recursive: true, force: true });
      out.push(`removed kernelspec ${spec.name} from ${dir}`);
    } else {
      out.push(`no tskernel kernelspec ${spec.name} in ${root}`);
    }
  }
  return out;
}
