// Failure paths through Jupyter messages: disconnect/initialize twice (§5 #13), interrupt while
// paused at a breakpoint (error reply, kernel keeps working), runner crash while debugging
// (breakpoints still stop in the next cell), and every bad input answered with success:false,
// a message and the body keys JupyterLab dereferences — never a missing reply.

import { DapClient, jlabInitializeArgs } from '../../helpers/dapClient';
import { KernelClient, withTimeout, type Execution, type Msg } from '../../helpers/kernelClient';

jest.setTimeout(60000);

let kc: KernelClient;
let dap: DapClient;

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'typescript' });
  dap = new DapClient(kc);
});
afterAll(async () => {
  await kc?.shutdown();
});

const run = (code: string) => kc.run(code);

const finish = (exec: Execution) => kc.finish(exec);

const CELL = 'function twice(x: number) {\n  const y = x * 2;\n  return y;\n}\ntwice(4);';

async function stopInCell(): Promise<{ msgId: string; reply: Promise<Msg> }> {
  await dap.setCellBreakpoints(CELL, [2]);
  const m = dap.mark();
  const exec = run(CELL);
  await dap.waitEvent('stopped', m);
  return exec;
}

describe('bad inputs before start', () => {
  test('malformed requests get success:false with a message and the expected body keys', async () => {
    const cases: Array<[string, object | undefined, string[]]> = [
      ['noSuchCommand', {}, []],
      ['dumpCell', {}, ['sourcePath']],
      ['dumpCell', undefined, ['sourcePath']],
      ['setBreakpoints', { breakpoints: [{ line: 1 }] }, ['breakpoints']],
      ['source', { sourceReference: 0 }, ['content']],
      ['source', { source: { path: '/no/such/file.ts' }, sourceReference: 0 }, ['content']],
      ['richInspectVariables', {}, ['data']],
      ['copyToGlobals', { srcVariableName: 'a' }, []],
      ['stackTrace', { threadId: 1 }, ['stackFrames']],
      ['scopes', {}, ['scopes']],
      ['variables', {}, ['variables']],
    ];
    for (const [command, args, keys] of cases) {
      const r = await dap.request(command, args);
      expect({ command, type: r.type, success: r.success, hasMessage: typeof r.message === 'string' && r.message.length > 0 }).toEqual({ command, type: 'response', success: false, hasMessage: true });
      expect(r.command).toBe(command);
      for (const k of keys) expect(r.body).toHaveProperty(k);
    }
  });

  test('a debug_request without a command or with garbage content still gets a reply and idle', async () => {
    for (const content of [{}, { seq: 'x', command: 42 }, { type: 'request', seq: 3, command: 'variables', arguments: 'nope' }]) {
      const { msgId, reply } = kc.send('control', 'debug_request', content);
      const r = await withTimeout(reply, 5000, 'debug_reply');
      await kc.waitIdle(msgId);
      expect(r.content.success).toBe(false);
      expect(typeof r.content.message).toBe('string');
    }
  });
});

describe('multisession (§5 #13)', () => {
  test('start + disconnect twice; the second session stops at breakpoints', async () => {
    for (let round = 0; round < 2; round++) {
      const m = dap.mark();
      await dap.start('typescript');
      await dap.waitEvent('initialized', m);
      expect((await dap.ok('debugInfo', {})).isStarted).toBe(true);
      await dap.stop();
      expect((await dap.ok('debugInfo', {})).isStarted).toBe(false);
    }
    await dap.start('typescript');
    const exec = await stopInCell();
    await dap.ok('continue', { threadId: 1 });
    expect((await finish(exec)).content.status).toBe('ok');
  });
});

describe('started', () => {
  beforeAll(async () => {
    if (!(await dap.ok('debugInfo', {})).isStarted) await dap.start('typescript');
  });
  // Each test stops in its own cell: none leaves the runner paused or a breakpoint set for the next.
  afterEach(async () => {
    await dap.releaseAll();
  });

  test('bad frameId / variablesReference / threadId while stopped', async () => {
    const exec = await stopInCell();
    const cases: Array<[string, object, string[]]> = [
      ['scopes', { frameId: 987654 }, ['scopes']],
      ['variables', { variablesReference: 987654 }, ['variables']],
      ['evaluate', { expression: '1', frameId: 987654, context: 'repl' }, ['result']],
      ['richInspectVariables', { variableName: 'x', frameId: 987654 }, ['data']],
      ['copyToGlobals', { srcVariableName: 'x', dstVariableName: 'x', srcFrameId: 987654 }, []],
      ['stackTrace', { threadId: 77 }, ['stackFrames']],
      ['setBreakpoints', { source: { path: 42 }, breakpoints: [] }, ['breakpoints']],
      ['setExceptionBreakpoints', { filters: 'all' }, []],
    ];
    for (const [command, args, keys] of cases) {
      const r = await dap.request(command, args);
      expect({ command, success: r.success, hasMessage: !!r.message }).toEqual({ command, success: false, hasMessage: true });
      for (const k of keys) expect(r.body).toHaveProperty(k);
    }
    // Still paused and usable.
    const { stackFrames } = await dap.ok('stackTrace', { threadId: 1 });
    expect(stackFrames[0].line).toBe(2);
    await dap.ok('continue', { threadId: 1 });
    expect((await finish(exec)).content.status).toBe('ok');
  });

  test('interrupt while paused at a breakpoint: error reply, kernel keeps working', async () => {
    const exec = await stopInCell();
    const ir = await kc.request('control', 'interrupt_request', {}, 10000);
    expect(ir.content.status).toBe('ok');
    const r = await finish(exec);
    expect(r.content.status).toBe('error');
    expect((await dap.ok('debugInfo', {})).stoppedThreads).toEqual([]);
    const after = await kc.execute('40 + 2');
    expect(after.reply.content.status).toBe('ok');
    expect(after.outputs.find((o) => o.header.msg_type === 'execute_result')?.content.data['text/plain']).toBe('42');
    // Breakpoints still work afterwards.
    const again = await stopInCell();
    await dap.ok('continue', { threadId: 1 });
    expect((await finish(again)).content.status).toBe('ok');
  });

  test('runner crash while debugging: next cell still stops at breakpoints', async () => {
    await dap.setCellBreakpoints(CELL, [2]);
    const crash = await kc.execute('process.exit(3);');
    expect(crash.reply.content.status).toBe('error');
    // The runner came back and the debugger re-attached with the same breakpoints.
    const info = await dap.ok('debugInfo', {});
    expect(info.isStarted).toBe(true);
    expect(info.breakpoints.length).toBeGreaterThan(0);
    const m = dap.mark();
    const exec = run(CELL);
    await dap.waitEvent('stopped', m);
    const { stackFrames } = await dap.ok('stackTrace', { threadId: 1 });
    expect(stackFrames[0]).toMatchObject({ name: 'twice', line: 2 });
    await dap.ok('continue', { threadId: 1 });
    expect((await finish(exec)).content.status).toBe('ok');
  });

  test('restart-and-debug order: disconnect, initialize, attach, setBreakpoints, configurationDone', async () => {
    const { path } = await dap.setCellBreakpoints(CELL, [2]);
    await dap.stop();
    await dap.ok('initialize', jlabInitializeArgs('typescript'));
    await dap.ok('attach', {});
    await dap.ok('setBreakpoints', { breakpoints: [{ line: 3 }], source: { path }, sourceModified: false });
    await dap.ok('configurationDone', {});
    await dap.ok('configurationDone', {});
    await dap.ok('debugInfo', {});
    const m = dap.mark();
    const exec = run(CELL);
    await dap.waitEvent('stopped', m);
    expect((await dap.ok('stackTrace', { threadId: 1 })).stackFrames[0].line).toBe(3);
    await dap.ok('continue', { threadId: 1 });
    expect((await finish(exec)).content.status).toBe('ok');
  });
});
