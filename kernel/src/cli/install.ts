// Writes and removes the `typescript` and `javascript` kernelspecs (kernel.json + logos) in the
// user's, the Python environment's (--sys-prefix) or a given prefix's Jupyter data directory,
// together with the prebuilt JupyterLab extension (labextensions/@tskernel/labextension: the
// debugger sidebar's "Node processes" section) and default debugger variable filters for the two
// kernels (JupyterLab settings overrides, merged into what is there).
//
// The kernelspec names are shared with other kernels (IJavascript's is also `javascript`): a spec
// that is not ours is never overwritten without --force, and uninstall removes only ours. Ours
// carry `metadata.tskernel` (older installs are recognised by their `main.js kernel` argv).

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KERNEL_ENV, KERNEL_NODE_FLAGS } from '../common/kernelEnv';

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

/** The Jupyter data directory (`<prefix>/share/jupyter`, or the user's) the kernelspecs go in. */
export function dataDir(target: InstallTarget): string {
  return path.dirname(kernelsDir(target));
}

// --- the prebuilt JupyterLab extension ---------------------------------------------------------

export const LABEXTENSION_NAME = '@tskernel/labextension';

/** A directory holding the prebuilt extension: package.json with jupyterlab._build, static/. */
function isPrebuilt(dir: string): boolean {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; jupyterlab?: { _build?: { load?: string } } };
    const load = pkg.jupyterlab?._build?.load;
    return pkg.name === LABEXTENSION_NAME && typeof load === 'string' && fs.existsSync(path.join(dir, load));
  } catch {
    return false;
  }
}

/**
 * Where the built extension is: $TSKERNEL_LABEXTENSION_DIR, a copy shipped inside the kernel
 * package (kernel/labextension), or the repository's labextension/prebuilt (from kernel/dist/cli
 * or kernel/src/cli). Undefined when it has not been built.
 */
export function findLabextension(): string | undefined {
  const env = process.env.TSKERNEL_LABEXTENSION_DIR;
  const candidates = env ? [env] : [path.join(__dirname, '..', '..', 'labextension'), path.join(__dirname, '..', '..', '..', 'labextension', 'prebuilt')];
  return candidates.map((c) => path.resolve(c)).find(isPrebuilt);
}

export function labextensionDir(target: InstallTarget): string {
  return path.join(dataDir(target), 'labextensions', ...LABEXTENSION_NAME.split('/'));
}

function installLabextension(target: InstallTarget, source: string | undefined): string {
  if (!source) return `note: the JupyterLab extension is not built (npm run build), so the debugger's "Node processes" section is not installed`;
  const dest = labextensionDir(target);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.cpSync(source, dest, { recursive: true });
  return `installed JupyterLab extension ${LABEXTENSION_NAME} in ${dest}`;
}

function uninstallLabextension(target: InstallTarget): string {
  const dest = labextensionDir(target);
  let ours: boolean;
  try {
    ours = (JSON.parse(fs.readFileSync(path.join(dest, 'package.json'), 'utf8')) as { name?: string }).name === LABEXTENSION_NAME;
  } catch {
    ours = false;
  }
  if (!ours) return `no JupyterLab extension ${LABEXTENSION_NAME} in ${path.dirname(path.dirname(dest))}`;
  fs.rmSync(dest, { recursive: true, force: true });
  const scope = path.dirname(dest);
  if (fs.existsSync(scope) && fs.readdirSync(scope).length === 0) fs.rmdirSync(scope);
  return `removed JupyterLab extension ${LABEXTENSION_NAME} from ${dest}`;
}

// --- default variable filters --------------------------------------------------------------------

/** The debugger extension's plugin whose `variableFilters` (by kernel name) hide variables. */
export const DEBUGGER_PLUGIN = '@jupyterlab/debugger-extension:main';
/**
 * Names the variables panel hides for our kernels. The kernel already leaves Node's built-ins out
 * of the Globals scope (it lists only what cells defined), so this is short: the kernel's import
 * helper and the CommonJS wrapper's arguments, which show up as locals of an attached process's
 * module-level frames.
 */
export const VARIABLE_FILTERS = ['__tskernel_import__', 'require', 'module', 'exports', '__filename', '__dirname'];

/**
 * The settings-overrides file for the target. A prefix's (and --sys-prefix's)
 * `share/jupyter/lab/settings/overrides.json` is what jupyterlab_server reads as the app
 * settings of a JupyterLab installed in that prefix, and what lab/server reads from the prefix
 * on JUPYTER_PATH. For --user there is no per-user app-settings directory, so the user's
 * `<config dir>/labconfig/default_setting_overrides.json` (read by jupyterlab_server too).
 */
export function overridesFile(target: InstallTarget): string {
  if (target.kind === 'user') {
    const config = process.env.JUPYTER_CONFIG_DIR || path.join(os.homedir(), '.jupyter');
    return path.join(config, 'labconfig', 'default_setting_overrides.json');
  }
  return path.join(dataDir(target), 'lab', 'settings', 'overrides.json');
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a JSON object file; undefined when missing; throws when it exists but is not an object. */
function readJsonObject(file: string): Json | undefined {
  if (!fs.existsSync(file)) return undefined;
  const v: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isObject(v)) throw new Error('not a JSON object');
  return v;
}

function writeOverrides(target: InstallTarget): string {
  const file = overridesFile(target);
  let data: Json;
  try {
    data = readJsonObject(file) ?? {};
  } catch (e) {
    return `note: left ${file} alone (${(e as Error).message}); no default variable filters`;
  }
  const plugin = isObject(data[DEBUGGER_PLUGIN]) ? data[DEBUGGER_PLUGIN] : {};
  const filters = isObject(plugin.variableFilters) ? plugin.variableFilters : {};
  for (const spec of KERNELSPECS) {
    const have = Array.isArray(filters[spec.name]) ? (filters[spec.name] as unknown[]).filter((x): x is string => typeof x === 'string') : [];
    filters[spec.name] = [...have, ...VARIABLE_FILTERS.filter((n) => !have.includes(n))];
  }
  plugin.variableFilters = filters;
  data[DEBUGGER_PLUGIN] = plugin;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return `set debugger variable filters for ${KERNELSPECS.map((k) => k.name).join(', ')} in ${file}`;
}

function removeOverrides(target: InstallTarget): string | undefined {
  const file = overridesFile(target);
  let data: Json | undefined;
  try {
    data = readJsonObject(file);
  } catch {
    return undefined;
  }
  const plugin = data?.[DEBUGGER_PLUGIN];
  if (!data || !isObject(plugin) || !isObject(plugin.variableFilters)) return undefined;
  const filters = plugin.variableFilters;
  for (const spec of KERNELSPECS) {
    if (!Array.isArray(filters[spec.name])) continue;
    const rest = (filters[spec.name] as unknown[]).filter((n) => !VARIABLE_FILTERS.includes(n as string));
    if (rest.length) filters[spec.name] = rest;
    else delete filters[spec.name];
  }
  if (!Object.keys(filters).length) delete plugin.variableFilters;
  if (!Object.keys(plugin).length) delete data[DEBUGGER_PLUGIN];
  if (Object.keys(data).length) fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  else fs.rmSync(file, { force: true });
  return `removed the debugger variable filters from ${file}`;
}

export function kernelJson(language: 'typescript' | 'javascript', display: string): object {
  return {
    argv: [process.execPath, ...KERNEL_NODE_FLAGS, MAIN, 'kernel', '-f', '{connection_file}', '--language', language],
    display_name: display,
    language,
    interrupt_mode: 'signal',
    // Two malloc arenas instead of one per thread (common/kernelEnv.ts).
    env: { ...KERNEL_ENV },
    metadata: { debugger: true, tskernel: { kernelspec: 1 } },
  };
}

/** Who owns the kernelspec in `dir`: none (no kernel.json), us, or another kernel (described). */
export type SpecOwner = { kind: 'none' } | { kind: 'ours' } | { kind: 'foreign'; description: string };

export function specOwner(dir: string): SpecOwner {
  const file = path.join(dir, 'kernel.json');
  if (!fs.existsSync(file)) return { kind: 'none' };
  let spec: Json;
  try {
    spec = readJsonObject(file) ?? {};
  } catch (e) {
    return { kind: 'foreign', description: `an unreadable kernel.json (${(e as Error).message})` };
  }
  const argv = Array.isArray(spec.argv) ? spec.argv.map(String) : [];
  const marked = isObject(spec.metadata) && spec.metadata.tskernel !== undefined;
  // Installs from before the marker: `<node> <...>/cli/main.js kernel -f ... --language ...`.
  const legacy = argv.length >= 3 && /[\\/]cli[\\/]main\.js$/.test(argv[1]) && argv[2] === 'kernel' && argv.includes('--language');
  if (marked || legacy) return { kind: 'ours' };
  const name = typeof spec.display_name === 'string' ? `"${spec.display_name}"` : 'a kernel without a display_name';
  return { kind: 'foreign', description: `${name} (runs ${argv[0] ?? 'nothing: no argv'})` };
}

export interface InstallOptions {
  /** The prebuilt extension to copy (default: findLabextension()); null: skip it. */
  labextension?: string | null;
  /** Replace kernelspecs of the same name that belong to other kernels. */
  force?: boolean;
}

/** Thrown when a kernelspec of another kernel is in the way; nothing has been written. */
export class ForeignKernelspecError extends Error {}

export function install(target: InstallTarget, options: InstallOptions = {}): string[] {
  const root = kernelsDir(target);
  const out: string[] = [];
  const foreign = new Map<string, string>(); // kernelspec name -> whose it is
  for (const spec of KERNELSPECS) {
    const owner = specOwner(path.join(root, spec.name));
    if (owner.kind === 'foreign') foreign.set(spec.name, owner.description);
  }
  if (foreign.size && !options.force) {
    throw new ForeignKernelspecError(
      [
        ...[...foreign].map(([name, whose]) => `the kernelspec "${name}" in ${path.join(root, name)} belongs to another kernel: ${whose}.`),
        "Nothing was installed. To replace it with tskernel's, run the same command with --force;",
        'to keep it, install tskernel into another Jupyter data directory (--prefix DIR, --sys-prefix, --user).',
      ].join('\n'),
    );
  }
  for (const spec of KERNELSPECS) {
    const dir = path.join(root, spec.name);
    const replaced = foreign.get(spec.name);
    if (replaced) {
      // None of the other kernel's files (its logos, its resources) may stay beside ours.
      fs.rmSync(dir, { recursive: true, force: true });
      out.push(`replaced kernelspec ${spec.name} of ${replaced} (--force)`);
    }
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
  if (options.labextension !== null) out.push(installLabextension(target, options.labextension ?? findLabextension()));
  out.push(writeOverrides(target));
  return out;
}

export function uninstall(target: InstallTarget): string[] {
  const root = kernelsDir(target);
  const out: string[] = [];
  for (const spec of KERNELSPECS) {
    const dir = path.join(root, spec.name);
    // Only remove specs that are ours.
    const owner = specOwner(dir);
    if (owner.kind === 'ours') {
      fs.rmSync(dir, { recursive: true, force: true });
      out.push(`removed kernelspec ${spec.name} from ${dir}`);
    } else if (owner.kind === 'foreign') {
      out.push(`left kernelspec ${spec.name} in ${dir} alone: it belongs to another kernel, ${owner.description}`);
    } else {
      out.push(`no tskernel kernelspec ${spec.name} in ${root}`);
    }
  }
  out.push(uninstallLabextension(target));
  const o = removeOverrides(target);
  if (o) out.push(o);
  return out;
}
