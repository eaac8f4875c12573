// An attached server compiled from TypeScript by tsc (CommonJS, external .js.map files): the user
// sets breakpoints on the .ts files, the stack shows .ts paths and lines, stepping reports .ts
// lines, `source` serves the .ts text and Kernel Sources lists it. A module loaded only later
// (lazy.ts, required on the first /lazy request) gets its breakpoint placed through its map
// before its code runs.
jest.setTimeout(60000);

import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapClient } from '../../helpers/dapClient';
import { KernelClient } from '../../helpers/kernelClient';
import { attachedThread, startServer, type Server } from './serverHelpers';
import { compileProject, HANDLER_LINE, LAZY_LINE, SERVER_TS } from './tsProject';

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
  const verified = dap
    .events()
    .slice(from)
    .find((e) => e.event === 'breakpoint' && e.body?.breakpoint?.source?.path === project.lazyTs);
  expect(verified?.body.breakpoint).toMatchObject({ verified: true, line: LAZY_LINE });
  await dap.ok('continue', { threadId });
  expect(await lazyResponse).toBe('lazy /lazy-one');

  await kc.execute(`%detach ${threadId}`);
  expect(await server.get('/after', 5000)).toBe('hello /after #2');
});
