// The published packages, used the way a new user would, outside the repository: `npm pack` of
// tskernel and @tskernel/agent, a global install of tskernel into a throwaway prefix from an
// empty npm cache, `tskernel install --prefix` (kernelspecs, extension, variable filters), a typed
// cell using `tskernel/display` and the debugger's initialize through the installed kernelspec
// (jupyter_client, JUPYTER_PATH), then %listen → an app outside the repo started with the agent
// (package: --import, --require, NODE_OPTIONS, attach(); single file from `tskernel agent-file`),
// on this Node and on Node 18 and 22 → %attach → a breakpoint stop → %detach.
jest.setTimeout(900000);

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Bridge, JLAB_INITIALIZE } from './bridge';
import { BP_LINE, CAN_FETCH_NODES, nodeBinary, ok, OTHER_NODES, packAll, ROOT, run, startApp, type App, type Packed } from './packHelpers';

const WORK = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-pack-')));
const GLOBAL = path.join(WORK, 'global');
const CACHE = path.join(WORK, 'npm-cache'); // empty: the install below is timed from scratch
const JUPYTER = path.join(WORK, 'jupyter');
const TSKERNEL = path.join(GLOBAL, 'bin', 'tskernel');
const npmEnv = { npm_config_cache: CACHE, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

let kernelPkg: Packed;
let agentPkg: Packed;
let bridge: Bridge | undefined;
const apps: App[] = [];

beforeAll(() => {
  const packs = path.join(WORK, 'packs');
  fs.mkdirSync(packs);
  const packed = packAll(packs);
  kernelPkg = packed.find((p) => p.name === 'tskernel')!;
  agentPkg = packed.find((p) => p.name === '@tskernel/agent')!;
  console.log(
    `packed: tskernel ${(kernelPkg.size / 1024).toFixed(0)} kB (${(kernelPkg.unpackedSize / 1024).toFixed(0)} kB unpacked, ${kernelPkg.files.length} files); @tskernel/agent ${(agentPkg.size / 1024).toFixed(1)} kB (${(agentPkg.unpackedSize / 1024).toFixed(1)} kB unpacked)`,
  );
  const t0 = performance.now();
  ok('npm', ['install', '-g', '--prefix', GLOBAL, kernelPkg.filename], { cwd: WORK, env: npmEnv });
  console.log(`npm install -g tskernel from an empty cache: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
});

afterAll(async () => {
  for (const a of apps) await a.stop();
  await bridge?.shutdown();
  fs.rmSync(WORK, { recursive: true, force: true });
});

test('the tarballs carry README, LICENSE, the prebuilt extension, the agent, the minified compiler, and what main/exports name', () => {
  for (const f of [
    'README.md',
    'LICENSE',
    'labextension/package.json',
    'dist/cli/main.js',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/runtime/runner/displayApi.d.ts',
    'dist/vendor/typescript.js',
    'dist/vendor/typescript.json',
  ])
    expect(kernelPkg.files).toContain(f);
  expect(kernelPkg.files.some((f) => f.startsWith('labextension/static/remoteEntry.'))).toBe(true);
  expect(kernelPkg.files.filter((f) => f.endsWith('.tsbuildinfo') || f.startsWith('src/'))).toEqual([]);
  const manifest = JSON.parse(fs.readFileSync(path.join(GLOBAL, 'lib', 'node_modules', 'tskernel', 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> };
  for (const target of Object.values(manifest.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)))) expect(kernelPkg.files).toContain(target.replace(/^\.\//, ''));

  // The minified compiler (scripts/build-typescript.mjs), used by the install: its version is the installed typescript's.
  const installed = path.join(GLOBAL, 'lib', 'node_modules', 'tskernel');
  const copy = ok(process.execPath, ['-e', `console.log(require(${JSON.stringify(path.join(installed, 'dist', 'lang', 'typescriptModule.js'))}).minifiedTypescript())`]);
  expect(copy.stdout.trim()).toBe(path.join(installed, 'dist', 'vendor', 'typescript.js'));

  expect(agentPkg.files.filter((f) => f !== 'dist/tskernel-agent.cjs').sort()).toEqual(['LICENSE', 'README.md', 'dist/index.js', 'dist/remoteWorker.js', 'index.d.ts', 'package.json']);
  expect(agentPkg.dependencies).toEqual({});
  expect(agentPkg.unpackedSize).toBeLessThan(100 * 1024);
});

test('tskernel --help (stdout, exit 0), --version, and an unknown command', () => {
  const help = run(TSKERNEL, ['--help']);
  expect(help.status).toBe(0);
  expect(help.stderr).toBe('');
  for (const cmd of ['install', 'uninstall', 'kernel', 'agent-file', '--version']) expect(help.stdout).toMatch(new RegExp(`^ +tskernel ${cmd}\\b`, 'm'));
  const version = run(TSKERNEL, ['--version']);
  expect(version).toMatchObject({ status: 0, stdout: 'tskernel 0.1.0\n' });
  const bad = run(TSKERNEL, ['instal']);
  expect(bad.status).toBe(2);
  expect(bad.stdout).toBe('');
  expect(bad.stderr).toMatch(/unknown command "instal"[\s\S]*tskernel install/);
});

test("require('tskernel') outside the repo: the documented API", () => {
  const code = "const t = require('tskernel'); console.log(JSON.stringify({ keys: Object.keys(t).sort(), version: t.version, display: require.resolve('tskernel/display') }))";
  const r = ok(process.execPath, ['-e', code], { cwd: WORK, env: { NODE_PATH: path.join(GLOBAL, 'lib', 'node_modules') } });
  const out = JSON.parse(r.stdout) as { keys: string[]; version: string; display: string };
  expect(out.keys).toEqual(['install', 'startKernel', 'uninstall', 'version']);
  expect(out.version).toBe('0.1.0');
  expect(out.display.startsWith(GLOBAL)).toBe(true);
});

test('tskernel install --prefix: both kernelspecs, the JupyterLab extension and the variable filters, from the install', () => {
  const r = ok(TSKERNEL, ['install', '--prefix', JUPYTER]);
  expect(r.stdout).not.toMatch(/not built|npm run build/);
  const share = path.join(JUPYTER, 'share', 'jupyter');
  for (const name of ['typescript', 'javascript']) {
    const spec = JSON.parse(fs.readFileSync(path.join(share, 'kernels', name, 'kernel.json'), 'utf8')) as { argv: string[] };
    // Node, the kernel's Node flags, then the installed package's entry point.
    expect(spec.argv.slice(1, -6)).toEqual(['--max-semi-space-size=2']);
    expect(spec.argv.at(-6)).toBe(path.join(GLOBAL, 'lib', 'node_modules', 'tskernel', 'dist', 'cli', 'main.js'));
  }
  expect(fs.existsSync(path.join(share, 'labextensions', '@tskernel', 'labextension', 'package.json'))).toBe(true);
  expect(fs.readFileSync(path.join(share, 'lab', 'settings', 'overrides.json'), 'utf8')).toContain('__tskernel_import__');
});

test('a typed cell importing tskernel/display, and the debugger initialize, through the installed kernelspec', async () => {
  const nb = path.join(WORK, 'notebook');
  fs.mkdirSync(nb);
  bridge = await Bridge.start('typescript', path.join(JUPYTER, 'share', 'jupyter'), nb);
  // Node, its flags, then the installed package's entry point and `kernel -f {connection_file} --language typescript`.
  expect(bridge.specArgv.at(-6)?.startsWith(GLOBAL)).toBe(true);
  // strict: a type error (TS2307 for tskernel/display included) blocks the cell.
  expect((await bridge.execute('%typecheck strict')).status).toBe('ok');
  const cell = await bridge.execute('import { display } from "tskernel/display";\nconst n: number = 6 * 7;\ndisplay.markdown(`**${n}**`);');
  expect(cell.error).toBeNull();
  expect(cell.status).toBe('ok');
  expect(cell.data).toContainEqual(expect.objectContaining({ 'text/markdown': '**42**' }));
  const bad = await bridge.execute('const s: string = n;');
  expect(bad.status).toBe('error');
  expect(bad.error!.traceback.join('\n')).toContain('TS2322');
  await bridge.dap('debugInfo');
  const caps = await bridge.dap('initialize', JLAB_INITIALIZE);
  expect(caps.supportsConfigurationDoneRequest).toBe(true);
  await bridge.dap('attach', {});
  expect((await bridge.dap('debugInfo')).isStarted).toBe(true);
});

/** %listen → app with the agent → %attach → breakpoint stop → continue → %detach. */
async function attachFlow(node: string, dir: string, start: (token: string) => { args: string[]; env: Record<string, string> }): Promise<void> {
  const b = bridge!;
  const l = await b.execute('%listen');
  expect(l.status).toBe('ok');
  // This host: the kernel's own agent, inside the global install (not the repository).
  const here = /TSKERNEL_ATTACH_TOKEN=\S+ node --import (\S+) app\.js/.exec(l.stdout);
  expect(here![1].startsWith(GLOBAL)).toBe(true);
  expect(l.stdout).toContain('npm install @tskernel/agent');
  expect(l.stdout).toMatch(/TSKERNEL_ATTACH_TOKEN=tsk1\.\S+ node --require \.\/tskernel-agent\.cjs app\.js/);
  const token = /TSKERNEL_ATTACH_TOKEN=(tsk1\.\S+) node --import @tskernel\/agent app\.js/.exec(l.stdout)![1];

  const from = await b.mark();
  const { args, env } = start(token);
  const app = await startApp(node, dir, args, env);
  apps.push(app);
  const waiting = await b.waitEvent('agentWaiting', from, { pid: app.child.pid }).catch((e: Error) => {
    throw new Error(`${e.message}\napp stderr:\n${app.stderr()}`);
  });
  expect(waiting.body.title).toBe('app.js');
  const a = await b.execute('%attach');
  expect(a.status).toBe('ok');
  const threadId = Number(/Attached thread (\d+): /.exec(a.stdout)![1]);

  const bps = await b.dap('setBreakpoints', { source: { path: app.file }, breakpoints: [{ line: BP_LINE }], sourceModified: false });
  expect(bps.breakpoints[0].verified).toBe(true);
  const fromStop = await b.mark();
  const response = app.get('/packed');
  await b.waitEvent('stopped', fromStop, { threadId, reason: 'breakpoint' });
  const { stackFrames } = await b.dap('stackTrace', { threadId });
  expect(stackFrames[0]).toMatchObject({ name: 'handle', line: BP_LINE, source: { path: app.file } });
  // A step stays in the app's code: the agent's own code, and only that, is hidden (blackboxed).
  const fromStep = await b.mark();
  await b.dap('next', { threadId });
  await b.waitEvent('stopped', fromStep, { threadId, reason: 'step' });
  expect((await b.dap('stackTrace', { threadId })).stackFrames[0]).toMatchObject({ name: 'handle', line: BP_LINE + 1, source: { path: app.file } });
  await b.dap('continue', { threadId });
  const version = run(node, ['--version']).stdout.trim();
  expect(await response).toBe(`hello /packed from ${version}`);

  await b.dap('setBreakpoints', { source: { path: app.file }, breakpoints: [], sourceModified: false });
  const fromDetach = await b.mark();
  expect((await b.execute(`%detach ${threadId}`)).status).toBe('ok');
  await b.waitEvent('detachedTarget', fromDetach, { threadId });
  if (!env.APP_ATTACH_TOKEN) await app.waitStderr(/\[tskernel agent\] detached: /);
  expect(await app.get('/after', 5000)).toBe(`hello /after from ${version}`);
  await app.stop();
}

function appDir(name: string): string {
  const dir = path.join(WORK, name);
  fs.mkdirSync(dir);
  return dir;
}

let packageApp: string;
let fileApp = '';

test('@tskernel/agent installs into an app folder with nothing else', () => {
  packageApp = appDir('app-package');
  fs.writeFileSync(path.join(packageApp, 'package.json'), '{ "name": "app", "private": true }\n');
  ok('npm', ['install', agentPkg.filename], { cwd: packageApp, env: npmEnv });
  expect(fs.readdirSync(path.join(packageApp, 'node_modules')).sort()).toEqual(['.package-lock.json', '@tskernel']);
});

test('tskernel agent-file writes the agent as one file (also in both tarballs)', () => {
  expect(kernelPkg.files).toContain('agent-file/tskernel-agent.cjs');
  expect(agentPkg.files).toContain('dist/tskernel-agent.cjs');
  fileApp = appDir('app-file');
  const r = run(TSKERNEL, ['agent-file'], { cwd: fileApp });
  expect(r.status).toBe(0);
  fs.writeFileSync(path.join(fileApp, 'tskernel-agent.cjs'), r.stdout);
  expect(r.stdout.length).toBeLessThan(60 * 1024);
  expect(r.stdout).not.toContain('remoteWorker.js');
});

function singleFileApp(): string {
  if (!fileApp) throw new Error('no single-file agent: see the agent-file test');
  return fileApp;
}

const NODES: Array<[string, () => string]> = [[`this Node (${process.version})`, () => process.execPath], ...OTHER_NODES.map((v): [string, () => string] => [`Node ${v}`, () => nodeBinary(v)])];
const maybe = (label: string): typeof test => (label.startsWith('this') || CAN_FETCH_NODES ? test : test.skip);

for (const [label, node] of NODES) {
  maybe(label)(`${label}: node --import @tskernel/agent app.js`, () => attachFlow(node(), packageApp, (token) => ({ args: ['--import', '@tskernel/agent'], env: { TSKERNEL_ATTACH_TOKEN: token } })));
  maybe(label)(`${label}: node --require ./tskernel-agent.cjs app.js (the single file)`, () =>
    attachFlow(node(), singleFileApp(), (token) => ({ args: ['--require', './tskernel-agent.cjs'], env: { TSKERNEL_ATTACH_TOKEN: token } })),
  );
}

maybe('Node 18')('Node 18: NODE_OPTIONS="--require @tskernel/agent"', () =>
  attachFlow(nodeBinary(OTHER_NODES[0]), packageApp, (token) => ({ args: [], env: { NODE_OPTIONS: '--require @tskernel/agent', TSKERNEL_ATTACH_TOKEN: token } })),
);
maybe('Node 18')("Node 18: require('@tskernel/agent').attach(token) from inside the app", () =>
  attachFlow(nodeBinary(OTHER_NODES[0]), packageApp, (token) => ({ args: [], env: { APP_ATTACH_TOKEN: token } })),
);

test('the kernel in the installed package never reads the repository', () => {
  expect(bridge!.specArgv.join(' ')).not.toContain(ROOT);
});
