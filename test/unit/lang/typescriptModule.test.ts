// The minified compiler is used only as built from the installed TypeScript (same version, file
// present); the built kernel ships one and its compiler worker loads it instead of the package's
// lib/typescript.js, reading its lib .d.ts files from the installed package.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { minifiedTypescript } from '../../../kernel/src/lang/typescriptModule';

const INSTALLED = (JSON.parse(fs.readFileSync(require.resolve('typescript/package.json'), 'utf8')) as { version: string }).version;
const DIST = path.resolve(__dirname, '..', '..', '..', 'kernel', 'dist');

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-vendor-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const vendor = (version: string, file = true) => {
  fs.writeFileSync(path.join(dir, 'typescript.json'), JSON.stringify({ version }));
  if (file) fs.writeFileSync(path.join(dir, 'typescript.js'), 'module.exports = {}');
};

test('a copy built from the installed version is used', () => {
  vendor(INSTALLED);
  expect(minifiedTypescript(dir)).toBe(path.join(dir, 'typescript.js'));
});

test('a copy of another version, a missing copy, no copy at all, or TSKERNEL_MINIFIED_TYPESCRIPT=off: the package', () => {
  vendor(INSTALLED);
  process.env.TSKERNEL_MINIFIED_TYPESCRIPT = 'off';
  try {
    expect(minifiedTypescript(dir)).toBeUndefined();
  } finally {
    delete process.env.TSKERNEL_MINIFIED_TYPESCRIPT;
  }
  vendor('4.0.0');
  expect(minifiedTypescript(dir)).toBeUndefined();
  vendor(INSTALLED, false);
  fs.rmSync(path.join(dir, 'typescript.js'), { force: true });
  expect(minifiedTypescript(dir)).toBeUndefined();
  expect(minifiedTypescript(path.join(dir, 'nothing'))).toBeUndefined();
});

test('a copy that fails to load gives way to the package', () => {
  vendor(INSTALLED);
  fs.writeFileSync(path.join(dir, 'typescript.js'), 'throw new Error("damaged")');
  const probe = `
    const ts = require(${JSON.stringify(path.join(DIST, 'lang', 'typescriptModule.js'))}).loadTypescript(${JSON.stringify(dir)});
    console.log(JSON.stringify({ version: ts.version, same: require('typescript') === ts, file: require.cache[require.resolve('typescript')].filename }));
  `;
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({ version: INSTALLED, same: true, file: require.resolve('typescript') });
});

test("the built compiler worker's TypeScript is the minified copy, with the installed lib files", () => {
  const probe = `
    require(${JSON.stringify(path.join(DIST, 'lang', 'service', 'loadCompiler.js'))});
    const ts = require('typescript');
    const file = Object.values(require.cache).find((m) => m.exports === ts).filename;
    const lib = ts.getDefaultLibFilePath({ lib: ['lib.es2023.d.ts'] });
    const host = ts.createCompilerHost({ strict: true, noEmit: true, lib: ['lib.es2023.d.ts'] });
    const read = host.getSourceFile;
    host.getSourceFile = (f, ...rest) => (f === '/cell.ts' ? ts.createSourceFile(f, 'const n: number = [1, 2].at(0);', ts.ScriptTarget.ES2022) : read(f, ...rest));
    const program = ts.createProgram(['/cell.ts'], { strict: true, noEmit: true, lib: ['lib.es2023.d.ts'] }, host);
    const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\\n'));
    console.log(JSON.stringify({ file, version: ts.version, lib, libExists: require('fs').existsSync(lib), errors }));
  `;
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout) as { file: string; version: string; lib: string; libExists: boolean; errors: string[] };
  expect(out.file).toBe(path.join(DIST, 'vendor', 'typescript.js'));
  expect(fs.statSync(out.file).size).toBeLessThan(fs.statSync(require.resolve('typescript')).size / 2);
  expect(out.version).toBe(INSTALLED);
  expect(path.dirname(out.lib)).toBe(path.dirname(require.resolve('typescript')));
  expect(out.libExists).toBe(true);
  // `at` comes from lib.es2022.array.d.ts, reached through the installed lib files.
  expect(out.errors).toEqual(["Type 'number | undefined' is not assignable to type 'number'.\n  Type 'undefined' is not assignable to type 'number'."]);
});
