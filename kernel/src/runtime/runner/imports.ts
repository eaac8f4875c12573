// Module loading for cells: `import`/`import()` in a cell resolve from the notebook's directory
// (npm packages, ESM-only ones too, local .js/.ts files), `require` is a require rooted there,
// and local TypeScript modules load through Node's module hooks (ESM) and require.extensions
// (CJS), stripped of types by the same stripper as cells. Deno's `npm:pkg@range/sub` specifiers
// load `pkg/sub` from the notebook's node_modules; `jsr:` and URL imports fail with what to do.

import { createRequire, register } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileModule } from './moduleSource';
import { parseNpmSpecifier } from './compat/npmSpecifier';

/**
 * `tskernel/...` specifiers resolve to this kernel's own modules, installed or not; `tslab` to
 * the built-in tslab module when the notebook has no tslab package of its own.
 */
function kernelModule(spec: string, dir: string): string | undefined {
  if (spec === 'tskernel/display') return path.join(__dirname, 'displayApi.js');
  if (spec === 'tslab' && !installed('tslab', dir)) return path.join(__dirname, 'compat', 'tslab.js');
  return undefined;
}

function installed(pkg: string, dir: string): boolean {
  try {
    createRequire(path.join(dir, '__tskernel_notebook__.js')).resolve(`${pkg}/package.json`);
    return true;
  } catch {
    // Packages whose exports hide package.json still have their folder.
    for (let d = dir; ; d = path.dirname(d)) {
      if (fs.existsSync(path.join(d, 'node_modules', pkg))) return true;
      if (d === path.dirname(d)) return false;
    }
  }
}

function importError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * What a Deno-style specifier means here: the Node specifier to load, or an error saying what to
 * do. Other specifiers pass through unchanged.
 */
function nodeSpecifier(spec: string, dir: string): string {
  if (spec.startsWith('npm:')) {
    const npm = parseNpmSpecifier(spec);
    if (!npm) throw importError(`"${spec}" is not an npm: specifier tskernel understands (npm:name@version/path)`, 'ERR_TSKERNEL_IMPORT');
    if (!installed(npm.name, dir)) {
      const pkg = npm.range ? `${npm.name}@${npm.range}` : npm.name;
      throw importError(`Cannot import "${spec}": the npm package ${npm.name} is not installed for this notebook. Run \`npm install ${pkg}\` in ${dir}`, 'ERR_MODULE_NOT_FOUND');
    }
    return npm.path;
  }
  if (spec.startsWith('jsr:')) {
    const name = spec
      .slice(4)
      .replace(/^\//, '')
      .replace(/^(@[^/@]+\/[^/@]+)@[^/]*/, '$1');
    throw importError(
      `Cannot import "${spec}": tskernel runs on Node, which has no jsr: imports. Run \`npx jsr add ${name.split('/').slice(0, 2).join('/')}\` in ${dir}, then import "${name}"`,
      'ERR_TSKERNEL_IMPORT',
    );
  }
  if (/^https?:/.test(spec)) {
    throw importError(
      `Cannot import "${spec}": tskernel runs on Node, which does not load modules from URLs. Install the package with npm in ${dir}, or save the module next to the notebook and import it by path`,
      'ERR_TSKERNEL_IMPORT',
    );
  }
  return spec;
}

export function notebookRequire(dir: string): NodeJS.Require {
  const base = createRequire(path.join(dir, '__tskernel_notebook__.js'));
  const req = ((id: string) => base(kernelModule(id, dir) ?? nodeSpecifier(id, dir))) as NodeJS.Require;
  return Object.assign(req, { resolve: base.resolve, cache: base.cache, extensions: base.extensions, main: base.main });
}

type Resolver = (specifier: string, parent: string) => string;
let resolver: Resolver | undefined;

export async function loadResolver(): Promise<void> {
  const mod = (await import('import-meta-resolve')) as { resolve: Resolver };
  resolver = mod.resolve;
}

/** `import(spec)` as if written in a module that lives in the notebook's directory. */
export async function importFromNotebook(original: string, dir: string): Promise<unknown> {
  const own = kernelModule(original, dir);
  if (own) return import(pathToFileURL(own).href);
  const spec = nodeSpecifier(original, dir);
  if (!resolver) await loadResolver();
  const parent = pathToFileURL(path.join(dir, '__tskernel_notebook__.mjs')).href;
  let url: string;
  try {
    url = (resolver as Resolver)(spec, parent);
    // Relative specifiers resolve without looking at the disk: prefer an existing .ts twin.
    if (url.startsWith('file:') && !fs.existsSync(new URL(url))) url = pathToFileURL(tsAlternative(spec, dir) ?? new URL(url).pathname).href;
  } catch (e) {
    const alt = tsAlternative(spec, dir);
    if (!alt) throw e;
    url = pathToFileURL(alt).href;
  }
  if (mayImportTypeScript(url)) registerEsmHooks();
  const ns = (await import(url)) as Record<string, unknown>;
  return isCommonJs(url) ? interopNamespace(ns) : ns;
}

/** A CommonJS module's exports as named imports too (TypeScript's esModuleInterop view). */
function interopNamespace(ns: Record<string, unknown>): Record<string, unknown> {
  const d = ns.default;
  if (d === null || (typeof d !== 'object' && typeof d !== 'function')) return ns;
  const merged: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(d)) merged[k] = (d as Record<string, unknown>)[k];
  return Object.assign(merged, ns);
}

function isCommonJs(url: string): boolean {
  if (!url.startsWith('file:')) return false;
  const file = new URL(url).pathname;
  if (file.endsWith('.cjs') || file.endsWith('.cts')) return true;
  if (!file.endsWith('.js') && !file.endsWith('.ts')) return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        return (JSON.parse(fs.readFileSync(pj, 'utf8')) as { type?: string }).type !== 'module' && file.endsWith('.js');
      } catch {
        return false;
      }
    }
    if (dir === path.dirname(dir)) return file.endsWith('.js');
  }
}

/** `./x.js` written for a `./x.ts` file (TypeScript's convention; `./x.jsx` for `./x.tsx`), or an
 * extensionless `./x` (`x.ts`, `x.tsx`, `x.mts`, or a folder's `index.ts`/`index.tsx`). */
function tsAlternative(spec: string, dir: string): string | undefined {
  if (!/^\.{1,2}\//.test(spec) && !path.isAbsolute(spec)) return undefined;
  const base = path.resolve(dir, spec);
  const candidates = [base.replace(/\.(c|m)?js$/, '.$1ts'), base.replace(/\.jsx$/, '.tsx'), base + '.ts', base + '.tsx', base + '.mts', path.join(base, 'index.ts'), path.join(base, 'index.tsx')];
  return candidates.find((c) => c !== base && fs.existsSync(c));
}

let hooksInstalled = false;
let esmHooksRegistered = false;

/** Teaches Node to load .ts/.cts files through require (the ESM side: registerEsmHooks). */
export function installTypeScriptLoaders(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  const loadTs = (module: NodeModule & { _compile(code: string, file: string): void }, filename: string): void => {
    module._compile(compileModule(fs.readFileSync(filename, 'utf8'), filename), filename);
  };
  const ext = (createRequire(__filename) as unknown as { extensions: Record<string, unknown> }).extensions;
  for (const e of ['.ts', '.cts']) ext[e] = loadTs;
}

/**
 * A TypeScript file, or a local module (not under node_modules) that may import one: what needs
 * the ESM hooks. Packages from node_modules never do, so a notebook that imports only those
 * never starts the hooks thread.
 */
function mayImportTypeScript(url: string): boolean {
  return url.startsWith('file:') && (/\.[cm]?tsx?$/.test(url) || !url.includes('/node_modules/'));
}

/**
 * The ESM hooks (tsHooks.ts) for .ts/.mts/.tsx imports. Node runs them on a thread of their own
 * (about 9 MB), so they are registered before the first import that may need them, not at start.
 */
export function registerEsmHooks(): void {
  if (esmHooksRegistered) return;
  esmHooksRegistered = true;
  try {
    register(pathToFileURL(path.join(__dirname, 'tsHooks.js')).href);
  } catch {
    // Older Node without module.register: ESM .ts imports will report a clear error on use.
  }
}
