// A runaway `evaluate` (`while(true){}` typed into the debug console) over real ZeroMQ: while it
// is pending, kernel_info on control is answered at once; it ends with success:false and a
// readable message within its time limit (TSKERNEL_EVALUATE_TIMEOUT_MS, here 1.5 s); the program
// is left where it was — still paused on its frame, or still running — and finishes correctly.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DapClient } from '../../helpers/dapClient';
import { KernelClient, withTimeout } from '../../helpers/kernelClient';

jest.setTimeout(90000);

const LIMIT_MS = 1500;
/** V8 checks its limit from another thread; the reply then crosses the runner pipe and ZeroMQ. */
const MARGIN_MS = 1500;

let kc: KernelClient;
let dap: DapClient;

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'typescript', env: { TSKERNEL_EVALUATE_TIMEOUT_MS: String(LIMIT_MS) } });
  dap = new DapClient(kc);
  await dap.start('typescript');
});
// A test that failed while paused (or with its breakpoint set) leaves neither to the next.
afterEach(async () => {
  await dap.releaseAll();
});
afterAll(async () => {
  await kc?.shutdown();
});

/**
 * `while (true) {}` that first creates a fresh marker file, and a wait for that file: once it
 * exists the loop is really running in the target (no head-start sleep).
 */
function markedLoop(): { expression: string; running: () => Promise<void> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-evalimit-'));
  const file = path.join(dir, 'spinning');
  const expression = `require('fs').writeFileSync(${JSON.stringify(file)}, ''); while (true) {}`;
  const running = (): Promise<void> =>
    withTimeout(
      new Promise<void>((resolve) => {
        const watcher = fs.watch(dir, () => {
          if (fs.existsSync(file)) done();
        });
        const done = (): void => {
          watcher.close();
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (fs.existsSync(file)) done();
      }),
      10000,
      'the evaluated loop to start',
    );
  return { expression, running };
}

/** Sends evaluate, and kernel_info on control while it is pending; returns both timings. */
async function runawayEvaluate(args: object): Promise<{ evalMs: number; infoMs: number; reply: { success: boolean; message?: string } }> {
  const t0 = Date.now();
  const loop = markedLoop();
  const ev = dap.sendOnly('evaluate', { expression: loop.expression, context: 'repl', ...args });
  // kernel_info goes while the evaluate is really running in the target.
  await loop.running();
  const t1 = Date.now();
  const info = await kc.request('control', 'kernel_info_request', {}, 1000);
  const infoMs = Date.now() - t1;
  expect(info.content.status).toBe('ok');
  const r = await withTimeout(ev.reply, LIMIT_MS + MARGIN_MS + 2000, 'evaluate reply');
  const evalMs = Date.now() - t0;
  return { evalMs, infoMs, reply: r.content as { success: boolean; message?: string } };
}

test('paused in a cell: the looping evaluate times out, control stays responsive, continue finishes the cell', async () => {
  const cell = 'let total = 0;\nfor (let i = 1; i <= 4; i++) {\n  total += i;\n}\nconsole.log("total", total);';
  await dap.setCellBreakpoints(cell, [3]);
  const m = dap.mark();
  const exec = kc.run(cell);
  await dap.waitEvent('stopped', m);
  const { stackFrames } = await dap.ok('stackTrace', { threadId: 1 });
  const frameId = stackFrames[0].id;

  const { evalMs, infoMs, reply } = await runawayEvaluate({ frameId });
  expect(infoMs).toBeLessThan(1000);
  expect(reply.success).toBe(false);
  expect(reply.message).toMatch(/timed out after 1\.5 s; the program is still paused where it was/);
  expect(evalMs).toBeGreaterThanOrEqual(LIMIT_MS);
  expect(evalMs).toBeLessThan(LIMIT_MS + MARGIN_MS);

  // Still paused on the same frame, with its variables intact.
  const after = await dap.ok('evaluate', { expression: 'total + i * 100', frameId, context: 'repl' });
  expect(after.result).toBe('100');

  await dap.setCellBreakpoints(cell, []);
  await dap.ok('continue', { threadId: 1 });
  const r = await kc.finish(exec);
  expect(r.content.status).toBe('ok');
  expect(
    kc
      .iopubFor(exec.msgId)
      .filter((x) => x.header.msg_type === 'stream')
      .map((x) => x.content.text)
      .join(''),
  ).toBe('total 10\n');
});

test('while a cell runs (not paused): the looping evaluate times out and the cell still completes', async () => {
  const cell = 'let ticks = 0;\nawait new Promise<void>((done) => {\n  const t = setInterval(() => { if (++ticks === 30) { clearInterval(t); done(); } }, 100);\n});\nconsole.log("ticks", ticks);';
  const exec = kc.run(cell);
  await kc.waitIopub((x) => x.header.msg_type === 'execute_input' && x.parent_header.msg_id === exec.msgId, 5000, 'execute_input');
  const { evalMs, infoMs, reply } = await runawayEvaluate({});
  expect(infoMs).toBeLessThan(1000);
  expect(reply.success).toBe(false);
  expect(reply.message).toMatch(/timed out after 1\.5 s; the program is still running/);
  expect(evalMs).toBeLessThan(LIMIT_MS + MARGIN_MS);

  const r = await kc.finish(exec);
  expect(r.content.status).toBe('ok');
  expect(
    kc
      .iopubFor(exec.msgId)
      .filter((x) => x.header.msg_type === 'stream')
      .map((x) => x.content.text)
      .join(''),
  ).toBe('ticks 30\n');
  // The runner was not restarted: state from before is still there.
  const again = await kc.execute('ticks * 2');
  expect(again.reply.content.status).toBe('ok');
  expect(again.outputs.find((x) => x.header.msg_type === 'execute_result')?.content.data['text/plain']).toBe('60');
});

test('debug_requests stay in order among themselves while others pass them', async () => {
  const evaluate = dap.sendOnly('evaluate', { expression: 'while (true) {}', context: 'repl' });
  const info = dap.sendOnly('debugInfo', {});
  const order: string[] = [];
  void evaluate.reply.then(() => order.push('evaluate'));
  void info.reply.then(() => order.push('debugInfo'));
  await kc.request('control', 'kernel_info_request', {}, 1000);
  await withTimeout(info.reply, LIMIT_MS + MARGIN_MS + 2000, 'debugInfo reply');
  expect(order).toEqual(['evaluate', 'debugInfo']);
});

describe('an interrupt while a looping evaluate is pending', () => {
  // The state each test checks survives (the runner is not restarted); set once for both.
  beforeAll(async () => {
    expect((await kc.execute('const keep = "kept"')).reply.content.status).toBe('ok');
  });

  test('paused: the evaluate ends at once, the cell ends with KeyboardInterrupt, the runner keeps its state', async () => {
    const cell = 'let n = 1;\nn += 1;\nn;';
    await dap.setCellBreakpoints(cell, [2]);
    const m = dap.mark();
    const exec = kc.run(cell);
    await dap.waitEvent('stopped', m);
    const { stackFrames } = await dap.ok('stackTrace', { threadId: 1 });
    const t0 = Date.now();
    const loop = markedLoop();
    const ev = dap.sendOnly('evaluate', { expression: loop.expression, frameId: stackFrames[0].id, context: 'repl' });
    await loop.running();
    const ir = await kc.request('control', 'interrupt_request', {}, 1000);
    expect(ir.content.status).toBe('ok');
    const r = (await withTimeout(ev.reply, LIMIT_MS + MARGIN_MS, 'evaluate reply')).content;
    // SIGINT in the runner ends the evaluation long before its limit.
    expect(Date.now() - t0).toBeLessThan(LIMIT_MS);
    expect(r).toMatchObject({ success: false, message: 'evaluation interrupted' });
    const done = await kc.finish(exec);
    await dap.setCellBreakpoints(cell, []);
    expect(done.content.ename).toBe('KeyboardInterrupt');
    const again = await kc.execute('keep');
    // Not restarted: no second SIGINT landed while the interrupted cell unwound (see adapter.ts).
    expect(kc.stderr).not.toMatch(/restart/i);
    expect(again.outputs.find((x) => x.header.msg_type === 'execute_result')?.content.data['text/plain']).toBe("'kept'");
  });

  // Here the interrupt cannot cut the evaluation short (the runner's SIGINT watchdog guards only
  // a cell's own synchronous code): the evaluation ends at its limit, then the interrupt ends the
  // cell — and the runner is not restarted.
  test('running: the evaluate ends at its limit, the interrupt ends the cell, the runner keeps its state', async () => {
    const exec = kc.run('await new Promise<void>((done) => setTimeout(done, 3000));\n"slept"');
    await kc.waitIopub((x) => x.header.msg_type === 'execute_input' && x.parent_header.msg_id === exec.msgId, 5000, 'execute_input');
    const t0 = Date.now();
    const loop = markedLoop();
    const ev = dap.sendOnly('evaluate', { expression: loop.expression, context: 'repl' });
    await loop.running();
    const ir = await kc.request('control', 'interrupt_request', {}, 1000);
    expect(ir.content.status).toBe('ok');
    const r = (await withTimeout(ev.reply, LIMIT_MS + MARGIN_MS, 'evaluate reply')).content;
    expect(Date.now() - t0).toBeLessThan(LIMIT_MS + MARGIN_MS);
    expect(r).toMatchObject({ success: false, message: expect.stringMatching(/timed out after 1\.5 s/) });
    const done = await kc.finish(exec);
    expect(done.content.ename).toBe('KeyboardInterrupt');
    expect(kc.stderr).not.toMatch(/restart/i);
    const again = await kc.execute('keep');
    expect(again.outputs.find((x) => x.header.msg_type === 'execute_result')?.content.data['text/plain']).toBe("'kept'");
  });
});
