// A throw-away notebook directory for the language-service tests: an ESM package and a CommonJS
// package with typings in node_modules, and a local .ts module next to the notebook.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function makeNotebookDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tskernel-lang-'));
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  write('node_modules/esm-pkg/package.json', JSON.stringify({ name: 'esm-pkg', version: '1.0.0', type: 'module', exports: { '.': { types: './index.d.ts', import: './index.js' } } }));
  write('node_modules/esm-pkg/index.js', 'export function add(a, b) { return a + b; }\n');
  write('node_modules/esm-pkg/index.d.ts', '/** Adds two numbers. */\nexport declare function add(a: number, b: number): number;\nexport interface Point { x: number; y: number }\n');
  write('node_modules/cjs-pkg/package.json', JSON.stringify({ name: 'cjs-pkg', version: '1.0.0', main: 'index.js', types: 'index.d.ts' }));
  write('node_modules/cjs-pkg/index.js', 'exports.greet = (n) => "hi " + n; exports.version = "1";\n');
  write('node_modules/cjs-pkg/index.d.ts', 'declare namespace cjs {\n  /** Greets someone. */\n  function greet(name: string): string;\n  const version: string;\n}\nexport = cjs;\n');
  write('util.ts', 'export const answer = 42;\nexport function shout(s: string): string { return s.toUpperCase(); }\n');
  return dir;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Installs a typings-only package into the notebook's node_modules (as `npm install` would, mid-session). */
export function writePackage(dir: string, name: string, typings: string): void {
  const root = path.join(dir, 'node_modules', name);
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name, version: '1.0.0', types: 'index.d.ts' }));
  fs.writeFileSync(path.join(root, 'index.d.ts'), typings);
}
