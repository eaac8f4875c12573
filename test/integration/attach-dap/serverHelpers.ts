// Helpers for the attach-dap tests: a real `http` server file in a temp dir, started as a child
// Node process (optionally with --inspect or the agent preloaded), its ports read from its own
// output, HTTP requests, and the DAP steps every attach way shares (breakpoint in the handler,
// real request, stop on the server's thread, stack/variables/evaluate, next, continue), and the
// shared kernel + DAP session a test file runs them with (attachSuite). No sleeps.

import { httpGet, waitForText } from '../attach/attachHelpers';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DapClient, varNamed } from '../../helpers/dapClient';
import { KernelClient } from '../../helpers/kernelClient';

/** Line 3 is the breakpoint line (the handler's first statement), line 4 the next one. */
export const SERVER_JS = [
  "const http = require('http');",
  'function handle(req, res) {',
  '  const requested = req.url;',
  "  const reply = 'hello ' + requested + ' from ' + process.pid;",
  "  console.log('served ' + requested); res.end(reply);",
  '}',
  'const server = http.createServer(handle);',
  "server.listen(0, '127.0.0.1', () => console.log('HTTP_PORT ' + server.address().port));",
  '',
].join('\n');
export const BP_LINE = 3;

export function writeServer(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-attach-dap-'))): string {
  const file = path.join(fs.realpathSync(dir), 'server.js');
  fs.writeFileSync(file, SERVER_JS);
  return file;
}

export interface Server {
  child: ChildProcess;
  file: string;
  httpPort: number;
  stderr(): string;
  waitStderr(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  get(pathName: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startServer(file: string, nodeArgs: string[] = [], env: Record<string, string> = {}): Promise<Server> {
  const child = spawn(process.execPath, [...nodeArgs, file], { cwd: path.dirname(file), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const m = await waitForText(() => out, child.stdout, /HTTP_PORT (\d+)/, 15000, 'server stdout');
  const httpPort = Number(m[1]);
  return {
    child,
    file,
    httpPort,
    stderr: () => err,
    waitStderr: (re, timeoutMs = 15000) => waitForText(() => err, child.stderr, re, timeoutMs, 'server stderr'),
    get: (pathName, timeoutMs = 20000) => httpGet(httpPort, pathName, timeoutMs),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Servers that belong to one test: `stopAll()` in afterEach ends them whether the test passed or not. */
export class ServerScope {
  private readonly started: Server[] = [];

  async start(file: string, nodeArgs: string[] = [], env: Record<string, string> = {}): Promise<Server> {
    const s = await startServer(file, nodeArgs, env);
    this.started.push(s);
    return s;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.started.splice(0).map((s) => s.stop()));
  }
}

/** Resolves with the error code of a TCP connect to the port (ECONNREFUSED when closed), or 'open'. */
export interface AttachSuite {
  readonly kc: KernelClient;
  readonly dap: DapClient;
  readonly servers: ServerScope;
}

/**
 * One TypeScript kernel with its DAP session started, shared by a file's tests (registered as
 * jest hooks); after each test no attach, waiting agent or server is left, whether it passed or not.
 */
export function attachSuite(): AttachSuite {
  const suite = { servers: new ServerScope() } as { kc: KernelClient; dap: DapClient; servers: ServerScope };
  beforeAll(async () => {
    suite.kc = await KernelClient.start({ language: 'typescript' });
    suite.dap = new DapClient(suite.kc);
    await suite.dap.start();
  });
  afterEach(async () => {
    await suite.dap?.resetAttach();
    await suite.servers.stopAll();
  });
  afterAll(async () => {
    await suite.kc?.shutdown();
  });
  return suite;
}

export function probePort(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => (s.destroy(), resolve('open')));
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

export interface StopReport {
  /** ms from sending the HTTP request to the `stopped` event. */
  hitMs: number;
}

/**
 * With a breakpoint on the handler of `server` already set: sends a real request, expects a stop
 * on `threadId`, checks stack/variables/evaluate, steps once, continues, gets the response.
 */
export async function stopAndInspect(dap: DapClient, server: Server, threadId: number, urlPath: string): Promise<StopReport> {
  const from = dap.mark();
  const t0 = performance.now();
  let answered = false;
  const response = server.get(urlPath).then((b) => ((answered = true), b));
  const stopped = await dap.waitEvent('stopped', from, 15000, (e) => e.body?.threadId === threadId);
  const hitMs = performance.now() - t0;
  expect(stopped.body).toMatchObject({ reason: 'breakpoint', threadId });
  expect(answered).toBe(false);

  const { stackFrames } = await dap.ok<{ stackFrames: DebugProtocol.StackFrame[] }>('stackTrace', { threadId });
  expect(stackFrames[0]).toMatchObject({ name: 'handle', line: BP_LINE, source: { path: server.file } });
  const { scopes } = await dap.ok<{ scopes: DebugProtocol.Scope[] }>('scopes', { frameId: stackFrames[0].id });
  const local = scopes.find((s) => /local/i.test(s.name));
  expect(local).toBeDefined();
  const locals = (await dap.ok<{ variables: DebugProtocol.Variable[] }>('variables', { variablesReference: local!.variablesReference })).variables;
  const req = varNamed(locals, 'req');
  expect(req.variablesReference).toBeGreaterThan(0);
  const reqProps = (await dap.ok<{ variables: DebugProtocol.Variable[] }>('variables', { variablesReference: req.variablesReference })).variables;
  expect(varNamed(reqProps, 'url').value).toContain(urlPath);
  const ev = await dap.ok<{ result: string }>('evaluate', { expression: 'req.url', frameId: stackFrames[0].id, context: 'repl' });
  expect(ev.result).toContain(urlPath);

  const fromStep = dap.mark();
  await dap.ok('next', { threadId });
  await dap.waitEvent('stopped', fromStep, 15000, (e) => e.body?.threadId === threadId && e.body?.reason === 'step');
  const after = (await dap.ok<{ stackFrames: DebugProtocol.StackFrame[] }>('stackTrace', { threadId })).stackFrames;
  expect(after[0]).toMatchObject({ name: 'handle', line: BP_LINE + 1 });

  const fromContinue = dap.mark();
  await dap.ok('continue', { threadId });
  await dap.waitEvent('continued', fromContinue, 10000, (e) => e.body?.threadId === threadId);
  expect(await response).toBe(`hello ${urlPath} from ${server.child.pid}`);
  return { hitMs };
}

export async function setServerBreakpoint(dap: DapClient, file: string, lines: number[] = [BP_LINE]): Promise<DebugProtocol.Breakpoint[]> {
  const body = await dap.ok<{ breakpoints: DebugProtocol.Breakpoint[] }>('setBreakpoints', { source: { path: file }, breakpoints: lines.map((line) => ({ line })), sourceModified: false });
  return body.breakpoints;
}

/** "Attached thread N: …" printed by %attach (given its output, or the whole run: then a failed
 * attach is reported with the kernel's error, not just an empty output). */
export function attachedThread(run: string | { stdout: string; reply: { content: Record<string, unknown> } }): number {
  const stdout = typeof run === 'string' ? run : run.stdout;
  const m = /Attached thread (\d+): /.exec(stdout);
  if (!m) {
    const why = typeof run === 'string' ? '' : ` (${String(run.reply.content.status)}: ${String(run.reply.content.ename ?? '')} ${String(run.reply.content.evalue ?? '')})`;
    throw new Error(`%attach printed no thread${why}: ${stdout}`);
  }
  return Number(m[1]);
}
