// An attached server compiled from TypeScript by tsc (CommonJS, external .js.map files): the user
// sets breakpoints on the .ts files, the stack shows .ts paths and lines, stepping reports .ts
// lines, `source` serves the .ts text and Kernel Sources lists it. A module loaded only later
// (lazy.ts, required on the first /lazy request) gets its breakpoint placed through its map
// before its code runs.
jest.setTimeout(60000);

import type { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { DapClient } from '../../helpers/dapClient';
import { KernelClient } from '../../helpers/kernelClient';
import { attachedThread, startServer, type Server } from './serverHelpers';

/** Type-only lines push the handler down: .ts lines differ from the compiled .js lines. */
const SERVER_TS = [
  "import * as http from 'node:http';", // 1
  '', // 2
  'interface Greeting {', // 3
  '  text: string;', // 4
  '  count: number;', // 5
  '}', // 6
  'type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;', // 7
  'let served: number = 0;', // 8
  'const handle: Handler = (req, res) => {', // 9
  "  const requested: string = req.url ?? '';", // 10  <- breakpoint
  "  if (requested.startsWith('/lazy')) { res.end(require('./lazy').lazyAnswer(requested)); return; }", // 11
  "  const greeting: Greeting = { text: 'hello ' + requested, count: ++served };", // 12
  "  res.end(greeting.text + ' #' + greeting.count);", // 13
  '};', // 14
  'const server = http.createServer(handle);', // 15
  "server.listen(0, '127.0.0.1', () => console.log('HTTP_PORT ' + (server.address() as { port: number }).port));", // 16
  '',
].join('\n');
const HANDLER_LINE = 10;

const LAZY_TS = [
  'export interface Answer {', // 1
  '  path: string;', // 2
  '}', // 3
  'export function lazyAnswer(path: string): string {', // 4
  '  const answer: Answer = { path };', // 5  <- breakpoint
  "  return 'lazy ' + answer.path;", // 6
  '}', // 7
  '',
].join('\n');
const LAZY_LINE = 5;

function compileProject(): { dir: string; serverTs: string; lazyTs: string; serverJs: string } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-srcmap-')));
  fs.mkdirSync(path.join(dir, 'src'));
  const serverTs = path.join(dir, 'src', 'server.ts');
  const lazyTs = path.join(dir, 'src', 'lazy.ts');
  fs.writeFileSync(serverTs, SERVER_TS);
  fs.writeFileSync(lazyTs, LAZY_TS);
  const program = ts.createProgram([serverTs, lazyTs], {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    rootDir: path.join(dir, 'src'),
    outDir: path.join(dir, 'dist'),
    sourceMap: true,
    esModuleInterop: true,
    strict: true,
    types: ['node'],
    typeRoots: [path.join(__dirname, '..', '..', '..', 'node_modules', '@types')],
  });
  const emitted = program.emit();
  expect(emitted.emitSkipped).toBe(false);
  const serverJs = path.join(dir, 'dist', 'server.js');
  expect(fs.readFileSync(serverJs, 'utf8')).toContain('//# sourceMappingURL=server.js.map');
  return { dir, serverTs, lazyTs, serverJs };
}

let kc: KernelClient;
let dap: DapClient;
let server: Server | undefined;

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'typescript' });
  dap = new DapClient(kc);
  await dap.start();
});
afterAll(async () => {
  await kc?.shutdown();
  await server?.stop();
});

async function topFrame(threadId: number): Promise<DebugProtocol.StackFrame> {
  return (await dap.ok<{ stackFrames: DebugProtocol.StackFrame[] }>('stackTrace', { threadId })).stackFrames[0];
}

test('breakpoints, stack, stepping and sources in the .ts files of an attached compiled server', async () => {
  const project = compileProject();
  server = await startServer(project.serverJs, ['--inspect=127.0.0.1:0']);
  const inspectPort = Number((await server.waitStderr(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//))[1]);
  const a = await kc.execute(`%attach ${inspectPort}`);
  expect(a.reply.content.status).toBe('ok');
  const threadId = attachedThread(a.stdout);

  // The original file is what Kernel Sources lists, and its text is served.
  const loaded = await dap.ok<{ sources: DebugProtocol.Source[] }>('loadedSources', {});
  expect(loaded.sources.map((s) => s.path)).toContain(project.serverTs);
  const src = await dap.ok<{ content: string }>('source', { source: { path: project.serverTs } });
  expect(src.content).toBe(SERVER_TS);

  const set = await dap.ok<{ breakpoints: DebugProtocol.Breakpoint[] }>('setBreakpoints', { source: { path: project.serverTs }, breakpoints: [{ line: HANDLER_LINE }] });
  expect(set.breakpoints[0]).toMatchObject({ verified: true, line: HANDLER_LINE });
  // lazy.ts is not loaded yet: its breakpoint waits for it.
  const lazySet = await dap.ok<{ breakpoints: DebugProtocol.Breakpoint[] }>('setBreakpoints', { source: { path: project.lazyTs }, breakpoints: [{ line: LAZY_LINE }] });
  expect(lazySet.breakpoints[0].verified).toBe(false);

  let from = dap.mark();
  let answered = false;
  const response = server.get('/typed?q=1').then((b) => ((answered = true), b));
  await dap.waitEvent('stopped', from, 15000, (e) => e.body?.threadId === threadId && e.body?.reason === 'breakpoint');
  expect(answered).toBe(false);
  const top = await topFrame(threadId);
  expect(top).toMatchObject({ name: 'handle', line: HANDLER_LINE, source: { path: project.serverTs, name: 'server.ts' } });

  from = dap.mark();
  await dap.ok('next', { threadId });
  await dap.waitEvent('stopped', from, 15000, (e) => e.body?.threadId === threadId && e.body?.reason === 'step');
  expect(await topFrame(threadId)).toMatchObject({ line: HANDLER_LINE + 1, source: { path: project.serverTs } });
  const ev = await dap.ok<{ result: string }>('evaluate', { expression: 'requested', frameId: (await topFrame(threadId)).id, context: 'repl' });
  expect(ev.result).toContain('/typed?q=1');

  from = dap.mark();
  await dap.ok('continue', { threadId });
  await dap.waitEvent('continued', from, 10000, (e) => e.body?.threadId === threadId);
  expect(await response).toBe('hello /typed?q=1 #1');

  // The first /lazy request loads lazy.js: its breakpoint binds before its code runs, and hits.
  await dap.ok('setBreakpoints', { source: { path: project.serverTs }, breakpoints: [] });
  from = dap.mark();
  const lazyResponse = server.get('/lazy-one');
  const stopped = await dap.waitEvent('stopped', from, 15000, (e) => e.body?.threadId === threadId);
  expect(stopped.body.reason).toBe('breakpoint');
  expect(await topFrame(threadId)).toMatchObject({ name: 'lazyAnswer', line: LAZY_LINE, source: { path: project.lazyTs } });
  const verified = dap.events().slice(from).find((e) => e.event === 'breakpoint' && e.body?.breakpoint?.source?.path === project.lazyTs);
  expect(verified?.body.breakpoint).toMatchObject({ verified: true, line: LAZY_LINE });
  await dap.ok('continue', { threadId });
  expect(await lazyResponse).toBe('lazy /lazy-one');

  await kc.execute(`%detach ${threadId}`);
  expect(await server.get('/after', 5000)).toBe('hello /after #2');
});
