// The main JupyterLab 4.5+ debugger flow through real Jupyter messages against the real kernel:
// enable (debugInfo seq 0, debugInfo, initialize, attach), toggle a breakpoint (dumpCell,
// debugInfo, setBreakpoints), run the cell, stop, stackTrace/scopes/variables, next/stepIn/
// stepOut/continue, and the busy/idle bracketing of every debug_request (§5 #1-#5, #10, #34, #37).

import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapClient, jlabInitializeArgs, varNamed } from '../../helpers/dapClient';
import { KernelClient, withTimeout } from '../../helpers/kernelClient';

jest.setTimeout(60000);

let kc: KernelClient;
let dap: DapClient;

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'typescript' });
  dap = new DapClient(kc);
});
// The enable steps (debugInfo, initialize, attach) are one flow across the first tests; after
// that each test sets its own breakpoints, and none is left set or paused for the next, even
// when a test failed half-way.
afterEach(async () => {
  await dap.releaseAll();
});
afterAll(async () => {
  await kc?.shutdown();
});

const CELL = ['function add(a: number, b: number): number {', '  const c = a + b;', '  return c;', '}', "const label: string = 'sum';", 'const total = add(2, 3);', 'console.log(label, total);'].join(
  '\n',
);

/** Starts executing a cell; returns its msg id and a promise of the reply. */
const run = (code: string) => kc.run(code);

async function stoppedAfter(from: number, reason?: string): Promise<DebugProtocol.StoppedEvent['body']> {
  const e = await dap.waitEvent('stopped', from, 15000, (x) => reason === undefined || x.body?.reason === reason);
  return e.body;
}

async function topFrame(): Promise<DebugProtocol.StackFrame[]> {
  return (await dap.ok<{ stackFrames: DebugProtocol.StackFrame[] }>('stackTrace', { threadId: 1 })).stackFrames;
}

describe('JupyterLab main flow (typescript)', () => {
  let path = '';

  test('debugInfo seq 0 without arguments, before start', async () => {
    const r = await dap.request('debugInfo', undefined, { seq: 0 });
    expect(r).toMatchObject({ type: 'response', request_seq: 0, command: 'debugInfo', success: true });
    expect(r.body).toMatchObject({
      isStarted: false,
      hashMethod: 'Murmur2',
      hashSeed: 3339675911,
      tmpFileSuffix: '.ts',
      breakpoints: [],
      stoppedThreads: [],
      richRendering: true,
      copyToGlobals: true,
    });
    expect(typeof r.body.tmpFilePrefix).toBe('string');
  });

  test('initialize with JupyterLab arguments, attach {}, initialized event after the initialize reply', async () => {
    await dap.ok('debugInfo', {});
    const m = dap.mark();
    const caps = await dap.ok<DebugProtocol.Capabilities>('initialize', jlabInitializeArgs('typescript'));
    expect(caps.supportsModulesRequest).toBe(true);
    expect(caps.supportsConditionalBreakpoints).toBe(true);
    expect((caps.exceptionBreakpointFilters ?? []).map((f) => f.filter).length).toBeGreaterThan(0);
    await dap.ok('attach', {});
    await dap.waitEvent('initialized', m);
    const info = await dap.ok('debugInfo', {});
    expect(info.isStarted).toBe(true);
    const ki = await kc.request('shell', 'kernel_info_request', {});
    expect(ki.content.supported_features).toContain('debugger');
  });

  test('dumpCell + debugInfo + setBreakpoints (verified, source.path echoed, listed in debugInfo)', async () => {
    const r = await dap.setCellBreakpoints(CELL, [2]);
    path = r.path;
    expect(path.endsWith('.ts')).toBe(true);
    expect(r.breakpoints).toHaveLength(1);
    expect(r.breakpoints[0]).toMatchObject({ verified: true, line: 2, source: { path } });
    const info = await dap.ok('debugInfo', {});
    expect(info.breakpoints).toEqual([{ source: path, breakpoints: [{ line: 2 }] }]);
    const src = await dap.ok('source', { source: { path }, sourceReference: 0 });
    expect(src.content).toBe(CELL);
  });

  test('stop in a function called from the cell; inspect; next; stepOut; stepIn; continue', async () => {
    path = (await dap.setCellBreakpoints(CELL, [2])).path;
    const m = dap.mark();
    const exec = run(CELL);
    const stopped = await stoppedAfter(m);
    expect(stopped).toMatchObject({ reason: 'breakpoint', threadId: 1 });
    expect((await dap.ok('debugInfo', {})).stoppedThreads).toEqual([1]);

    // stackTrace -> scopes -> variables, as JupyterLab does on `stopped`.
    let st = await dap.inspectStop();
    expect(st.frames.length).toBe(2);
    expect(st.frames[0]).toMatchObject({ name: 'add', line: 2, source: { path } });
    expect(st.frames[1].name).toBeTruthy();
    expect(st.frames[1]).toMatchObject({ line: 6, source: { path } });
    expect(st.scopes.map((s) => s.name)).toEqual(expect.arrayContaining(['Locals', 'Globals']));
    expect(varNamed(st.vars.Locals, 'a')).toMatchObject({ value: '2', type: 'int', variablesReference: 0 });
    expect(varNamed(st.vars.Locals, 'b')).toMatchObject({ value: '3', type: 'int' });
    expect(varNamed(st.vars.Globals, 'add').value).toContain('add');

    // next: continued, then stopped one line down (fresh state).
    let from = dap.mark();
    await dap.ok('next', { threadId: 1 });
    await dap.waitEvent('continued', from);
    await stoppedAfter(from, 'step');
    st = await dap.inspectStop();
    expect(st.frames[0]).toMatchObject({ name: 'add', line: 3 });
    expect(varNamed(st.vars.Locals, 'c')).toMatchObject({ value: '5', type: 'int' });

    // stepOut: back in the cell's top-level frame, exactly one frame.
    from = dap.mark();
    await dap.ok('stepOut', { threadId: 1 });
    await dap.waitEvent('continued', from);
    await stoppedAfter(from, 'step');
    const frames = await topFrame();
    expect(frames).toHaveLength(1);
    expect(frames[0].name).toBeTruthy();
    expect(frames[0].source?.path).toBe(path);
    expect(frames[0].line).toBeGreaterThanOrEqual(6);

    // continue: the cell finishes with its output.
    from = dap.mark();
    await dap.ok('continue', { threadId: 1 });
    await dap.waitEvent('continued', from);
    const reply = await withTimeout(exec.reply, 15000, 'execute_reply');
    expect(reply.content.status).toBe('ok');
    await kc.waitIdle(exec.msgId);
    const out = kc
      .iopubFor(exec.msgId)
      .filter((x) => x.header.msg_type === 'stream')
      .map((x) => x.content.text)
      .join('');
    expect(out).toBe('sum 5\n');
    expect((await dap.ok('debugInfo', {})).stoppedThreads).toEqual([]);
  });

  test('stepIn from the top-level frame into the function', async () => {
    // The breakpoint on the call line instead of the body.
    path = (await dap.setCellBreakpoints(CELL, [6])).path;
    const m = dap.mark();
    const exec = run(CELL);
    await stoppedAfter(m, 'breakpoint');
    let frames = await topFrame();
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ line: 6, source: { path } });
    const from = dap.mark();
    await dap.ok('stepIn', { threadId: 1 });
    await dap.waitEvent('continued', from);
    await stoppedAfter(from, 'step');
    frames = await topFrame();
    expect(frames[0]).toMatchObject({ name: 'add', line: 2 });
    await dap.ok('continue', { threadId: 1 });
    expect((await withTimeout(exec.reply, 15000, 'execute_reply')).content.status).toBe('ok');
    await kc.waitIdle(exec.msgId);
    await dap.setCellBreakpoints(CELL, []);
  });

  test('busy/idle pairs parented to each debug_request, strictly sequential (§5 #10, #34)', async () => {
    const cell = ['function f(a: number, b: number) {', '  const s = a + b;', '  return s;', '}', 'f(2, 3);'].join('\n');
    await dap.setCellBreakpoints(cell, [2]);
    const m = dap.mark();
    const exec = run(cell);
    await stoppedAfter(m);
    const { stackFrames } = await dap.ok('stackTrace', { threadId: 1 });
    const { scopes } = await dap.ok<{ scopes: DebugProtocol.Scope[] }>('scopes', { frameId: stackFrames[0].id });
    const locals = scopes.find((s) => s.name === 'Locals')!;
    const globals = scopes.find((s) => s.name === 'Globals')!;
    // Four requests back to back (like Promise.all in JupyterLab's service).
    const sent = [
      dap.sendOnly('variables', { variablesReference: locals.variablesReference }),
      dap.sendOnly('variables', { variablesReference: globals.variablesReference }),
      dap.sendOnly('debugInfo', {}),
      dap.sendOnly('stackTrace', { threadId: 1 }),
    ];
    const replies = await Promise.all(sent.map((s) => withTimeout(s.reply, 10000, 'debug_reply')));
    await Promise.all(sent.map((s) => kc.waitIdle(s.msgId)));
    expect(replies.map((r) => r.content.success)).toEqual([true, true, true, true]);
    expect(varNamed(replies[0].content.body.variables, 'a')).toMatchObject({ value: '2', type: 'int' });
    expect(varNamed(replies[0].content.body.variables, 'b')).toMatchObject({ value: '3', type: 'int' });
    const ids = new Set(sent.map((s) => s.msgId));
    const statuses = kc.iopubAll.filter((x) => x.header.msg_type === 'status' && ids.has(x.parent_header.msg_id ?? ''));
    expect(statuses.map((s) => s.content.execution_state)).toEqual(['busy', 'idle', 'busy', 'idle', 'busy', 'idle', 'busy', 'idle']);
    expect(statuses.map((s) => s.parent_header.msg_id)).toEqual(sent.flatMap((s) => [s.msgId, s.msgId]));
    await dap.ok('continue', { threadId: 1 });
    expect((await withTimeout(exec.reply, 15000, 'execute_reply')).content.status).toBe('ok');
    await kc.waitIdle(exec.msgId);
    await dap.setCellBreakpoints(cell, []);
  });

  test('continue/next when nothing is stopped still get a reply', async () => {
    for (const cmd of ['continue', 'next', 'stepIn', 'stepOut']) {
      const r = await dap.request(cmd, { threadId: 1 });
      expect(r.type).toBe('response');
      expect(r.command).toBe(cmd);
    }
    const r = await kc.execute('1 + 1');
    expect(r.reply.content.status).toBe('ok');
  });

  test('disconnect resumes and clears; isStarted false', async () => {
    await dap.setCellBreakpoints(CELL, [2]);
    const m = dap.mark();
    const exec = run(CELL);
    await stoppedAfter(m);
    await dap.stop();
    expect((await withTimeout(exec.reply, 15000, 'execute_reply')).content.status).toBe('ok');
    await kc.waitIdle(exec.msgId);
    const info = await dap.ok('debugInfo', {});
    expect(info).toMatchObject({ isStarted: false, breakpoints: [], stoppedThreads: [] });
  });
});
