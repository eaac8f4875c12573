// Worker threads started by a notebook cell are DAP threads (children of thread 1): a breakpoint
// in the worker's file stops that thread alone (the notebook keeps running cells), variables and
// evaluate work in its frame, continue lets it answer; a worker that ends is reported as exited.
jest.setTimeout(60000);

import type { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DapClient } from '../../helpers/dapClient';
import { KernelClient } from '../../helpers/kernelClient';

const WORKER_JS = [
  "const { parentPort } = require('worker_threads');",
  "parentPort.on('message', (n) => {",
  '  const squared = n * n;', // 3 <- breakpoint
  '  if (n < 0) process.exit(0);',
  '  parentPort.postMessage(squared);',
  '});',
  '',
].join('\n');

let kc: KernelClient;
let dap: DapClient;

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'typescript' });
  dap = new DapClient(kc);
  await dap.start('typescript');
});
afterAll(async () => {
  await kc?.shutdown();
});

test('a worker started by a cell: its own thread, stops alone, exits', async () => {
  const file = path.join(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-nbworker-'))), 'square.js');
  fs.writeFileSync(file, WORKER_JS);
  let from = dap.mark();
  const started = await kc.execute(
    `import { Worker } from 'node:worker_threads';\nconst w = new Worker(${JSON.stringify(file)}, { name: 'square' });\nconst ask = (n: number) => new Promise((r) => { w.once('message', r); w.postMessage(n); });`,
  );
  expect(started.reply.content.status).toBe('ok');
  const info = (await dap.waitEvent('attachedTarget', from, 10000, (e) => e.body?.via === 'worker' && e.body?.parentThreadId === 1)).body;
  expect(info.name).toMatch(/^Notebook \(runner pid \d+\) › \[worker \d+\] square$/);
  const { threads } = await dap.ok<{ threads: { id: number; name: string }[] }>('threads');
  // The runner's own workers (the agent, Node's module-hooks thread) are not threads.
  expect(threads.map((t) => t.id)).toContain(info.threadId);
  expect(threads.filter((t) => t.id !== 1).every((t) => t.name.endsWith('] square'))).toBe(true);

  from = dap.mark();
  const set = await dap.ok<{ breakpoints: DebugProtocol.Breakpoint[] }>('setBreakpoints', { source: { path: file }, breakpoints: [{ line: 3 }] });
  // The worker may still be loading its file: then the breakpoint is verified when it binds.
  if (!set.breakpoints[0].verified) await dap.waitEvent('breakpoint', from, 10000, (e) => e.body?.breakpoint?.verified === true && e.body?.breakpoint?.source?.path === file);
  expect(set.breakpoints[0].line).toBe(3);
  from = dap.mark();
  const asking = kc.run('await ask(7)');
  const stopped = await dap.waitEvent('stopped', from, 15000, (e) => e.body?.threadId === info.threadId);
  expect(stopped.body).toMatchObject({ reason: 'breakpoint', allThreadsStopped: false });
  const { stackFrames } = await dap.ok<{ stackFrames: DebugProtocol.StackFrame[] }>('stackTrace', { threadId: info.threadId });
  expect(stackFrames[0]).toMatchObject({ line: 3, source: { path: file } });
  expect((await dap.ok<{ result: string }>('evaluate', { expression: 'n + 1', frameId: stackFrames[0].id, context: 'repl' })).result).toBe('8');
  // Thread 1 is not stopped: the evaluate without a frame runs in the notebook.
  expect((await dap.ok<{ stoppedThreads: number[] }>('debugInfo', {})).stoppedThreads).toEqual([info.threadId]);
  await dap.ok('continue', { threadId: info.threadId });
  const r = await kc.finish(asking);
  expect(r.content.status).toBe('ok');

  await dap.ok('setBreakpoints', { source: { path: file }, breakpoints: [] });
  from = dap.mark();
  kc.run('w.postMessage(-1)');
  await dap.waitEvent('thread', from, 10000, (e) => e.body?.threadId === info.threadId && e.body?.reason === 'exited');
});
