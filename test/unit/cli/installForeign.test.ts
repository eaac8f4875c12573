// install never overwrites another kernel's kernelspec of the same name (IJavascript's is also
// `javascript`) unless --force; uninstall removes only ours. Library calls and the real CLI.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ForeignKernelspecError, install, specOwner, uninstall } from '../../../kernel/src/cli/install';

const CLI = path.resolve(__dirname, '..', '..', '..', 'kernel', 'dist', 'cli', 'main.js');
const IJS = { argv: ['ijskernel', '--hide-undefined', '{connection_file}', '--protocol=5.0'], display_name: 'JavaScript (Node.js)', language: 'javascript' };

let prefix: string;
let kernels: string;
const specFile = (name: string) => path.join(kernels, name, 'kernel.json');
const readSpec = (name: string) => JSON.parse(fs.readFileSync(specFile(name), 'utf8'));

beforeEach(() => {
  prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'tskernel-foreign-'));
  kernels = path.join(prefix, 'share', 'jupyter', 'kernels');
  fs.mkdirSync(path.join(kernels, 'javascript'), { recursive: true });
  fs.writeFileSync(specFile('javascript'), JSON.stringify(IJS));
  fs.writeFileSync(path.join(kernels, 'javascript', 'logo-64x64.png'), 'ijs logo');
});
afterEach(() => fs.rmSync(prefix, { recursive: true, force: true }));

test('install refuses, names whose spec it is and how to proceed, and writes nothing', () => {
  let err: unknown;
  try {
    install({ kind: 'prefix', dir: prefix }, { labextension: null });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ForeignKernelspecError);
  const text = (err as Error).message;
  expect(text).toContain('"javascript"');
  expect(text).toContain('"JavaScript (Node.js)"');
  expect(text).toContain('ijskernel');
  expect(text).toContain('--force');
  expect(readSpec('javascript')).toEqual(IJS);
  // Atomic: the non-conflicting typescript spec was not written either.
  expect(fs.existsSync(specFile('typescript'))).toBe(false);
});

test('--force replaces it (no foreign files left); uninstall then removes ours', () => {
  const lines = install({ kind: 'prefix', dir: prefix }, { labextension: null, force: true });
  expect(lines.some((l) => l.startsWith('replaced kernelspec javascript of "JavaScript (Node.js)"'))).toBe(true);
  expect(specOwner(path.join(kernels, 'javascript'))).toEqual({ kind: 'ours' });
  expect(readSpec('javascript').display_name).toBe('JavaScript (tskernel)');
  expect(fs.readFileSync(path.join(kernels, 'javascript', 'logo-64x64.png'), 'utf8')).not.toBe('ijs logo');
  uninstall({ kind: 'prefix', dir: prefix });
  expect(fs.existsSync(path.join(kernels, 'javascript'))).toBe(false);
  expect(fs.existsSync(path.join(kernels, 'typescript'))).toBe(false);
});

test('uninstall leaves a foreign spec alone and says so; re-installing over ours needs no --force', () => {
  fs.rmSync(path.join(kernels, 'javascript'), { recursive: true });
  install({ kind: 'prefix', dir: prefix }, { labextension: null });
  expect(() => install({ kind: 'prefix', dir: prefix }, { labextension: null })).not.toThrow();
  // Another kernel takes the name back; uninstall must not touch it.
  fs.writeFileSync(specFile('javascript'), JSON.stringify(IJS));
  const lines = uninstall({ kind: 'prefix', dir: prefix });
  expect(lines.some((l) => l.includes('left kernelspec javascript') && l.includes('JavaScript (Node.js)'))).toBe(true);
  expect(readSpec('javascript')).toEqual(IJS);
  expect(fs.existsSync(path.join(kernels, 'typescript'))).toBe(false);
});

test('specs written before the marker (argv .../cli/main.js kernel ... --language) count as ours', () => {
  fs.writeFileSync(
    specFile('javascript'),
    JSON.stringify({
      argv: ['/usr/bin/node', '/opt/old/kernel/dist/cli/main.js', 'kernel', '-f', '{connection_file}', '--language', 'javascript'],
      display_name: 'JavaScript (tskernel)',
      language: 'javascript',
      metadata: { debugger: true },
    }),
  );
  expect(specOwner(path.join(kernels, 'javascript'))).toEqual({ kind: 'ours' });
  fs.writeFileSync(specFile('javascript'), '{ not json');
  expect(specOwner(path.join(kernels, 'javascript')).kind).toBe('foreign');
});

test('the CLI: exit 1 with the message, then --force succeeds', () => {
  const env = { ...process.env, TSKERNEL_LABEXTENSION_DIR: path.join(prefix, 'no-such-dir') };
  const refused = spawnSync(process.execPath, [CLI, 'install', '--prefix', prefix, '--no-labextension'], { encoding: 'utf8', env });
  expect(refused.status).toBe(1);
  expect(refused.stderr).toMatch(/belongs to another kernel: "JavaScript \(Node\.js\)" \(runs ijskernel\)/);
  expect(refused.stderr).toContain('--force');
  expect(readSpec('javascript')).toEqual(IJS);
  const forced = spawnSync(process.execPath, [CLI, 'install', '--prefix', prefix, '--no-labextension', '--force'], { encoding: 'utf8', env });
  expect(forced.status).toBe(0);
  expect(readSpec('javascript').metadata.tskernel).toBeDefined();
});

test('the CLI: `install --help` and an unknown option change nothing (help on stdout, exit 0; the option named, exit 2)', () => {
  // A user's home that must stay empty: without --prefix, install would write there.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tskernel-home-'));
  const env = { ...process.env, HOME: home, JUPYTER_DATA_DIR: '', XDG_DATA_HOME: '' };
  try {
    const help = spawnSync(process.execPath, [CLI, 'install', '--help'], { encoding: 'utf8', env });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage:[\s\S]*tskernel install/);
    const typo = spawnSync(process.execPath, [CLI, 'install', '--prefx', prefix], { encoding: 'utf8', env });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('unknown option "--prefx"');
    const uninstall = spawnSync(process.execPath, [CLI, 'uninstall', '--prefix', prefix, '--all'], { encoding: 'utf8', env });
    expect(uninstall.status).toBe(2);
    expect(fs.readdirSync(home)).toEqual([]);
    expect(fs.readdirSync(kernels)).toEqual(['javascript']);
    expect(readSpec('javascript')).toEqual(IJS);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});
