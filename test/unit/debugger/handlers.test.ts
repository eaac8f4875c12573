// The DAP handlers behind debug_request, driven through the debugger's public entry point
// (createDebugger -> handleRequest) over a stubbed CDP runner link: no runner process, no V8.
// What is asserted is what a client sees — responses, events — and which CDP calls the target got.

import { CellFiles } from '../../../kernel/src/common/cellFiles';
import { logger } from '../../../kernel/src/common/log';
import { createDebugger } from '../../../kernel/src/debugger';
import type { DapEvent, DapResponse, IDebugger } from '../../../kernel/src/debugger/api';
import { CdpFailure, StubCdp } from '../doubles/stubCdp';

interface Harness {
  dbg: IDebugger;
  cdp: StubCdp;
  cells: CellFiles;
  events: DapEvent[];
  req(command: string, args?: unknown): Promise<DapResponse>;
  /** The next DAP event named `name` (or one already emitted since the last call for it). */
  event(name: string, ms?: number): Promise<DapEvent>;
}

let h: Harness;

function harness(): Harness {
  const cells = new CellFiles('javascript', 4343, '/tmp/tskernel-unit-dap');
  const cdp = new StubCdp();
  const events: DapEvent[] = [];
  const seen = new Map<string, number>();
  const waiters: Array<{ name: string; resolve: (e: DapEvent) => void }> = [];
  const dbg = createDebugger({
    language: 'javascript',
    cells,
    log: logger('dap'),
    emit: (e) => {
      events.push(e);
      const w = waiters.find((x) => x.name === e.event);
      if (w) {
        waiters.splice(waiters.indexOf(w), 1);
        seen.set(e.event, events.filter((x) => x.event === e.event).length);
        w.resolve(e);
      }
    },
    onRunner: (cb) => cb({ stream: cdp.kernelEnd, pid: 0 }),
  });
  cdp.hello();
  let seq = 1;
  return {
    dbg,
    cdp,
    cells,
    events,
    req: (command, args) => dbg.handleRequest({ seq: seq++, type: 'request', command, arguments: args }),
    event: (name, ms = 2000) => {
      const all = events.filter((e) => e.event === name);
      const used = seen.get(name) ?? 0;
      if (all.length > used) {
        seen.set(name, used + 1);
        return Promise.resolve(all[used]);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${name} event within ${ms} ms`)), ms);
        waiters.push({ name, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    },
  };
}

beforeEach(() => {
  h = harness();
});

afterEach(async () => {
  await h.dbg.dispose();
  h.cdp.close();
});

async function attached(): Promise<void> {
  expect((await h.req('initialize', { adapterID: 'tskernel' })).success).toBe(true);
  expect((await h.req('attach', {})).success).toBe(true);
}

const CELL = 'let x = 1;\nx += 41;\nx';

/** The runner parsed the cell and stops on its line 2 (as V8 reports a breakpoint hit). */
function pauseInCell(path: string, extra: Record<string, unknown> = {}): void {
  h.cdp.emit('Debugger.scriptParsed', {
    scriptId: '42',
    url: path,
    startLine: 0,
    startColumn: 0,
    endLine: 3,
    endColumn: 0,
    executionContextId: 1,
    hash: 'h',
    isLiveEdit: false,
    sourceMapURL: '',
    hasSourceURL: false,
    isModule: false,
    length: CELL.length,
  });
  h.cdp.emit('Debugger.paused', {
    reason: 'other',
    hitBreakpoints: ['stub-bp-x'],
    callFrames: [
      {
        callFrameId: 'cf-1',
        functionName: 'inner',
        location: { scriptId: '42', lineNumber: 1, columnNumber: 0 },
        url: path,
        scopeChain: [
          { type: 'local', object: { type: 'object', className: 'Object', objectId: 'scope-local' } },
          { type: 'global', object: { type: 'object', className: 'global', objectId: 'scope-global' } },
        ],
        this: { type: 'undefined' },
      },
    ],
    ...extra,
  });
}

test('an unknown command and a missing command fail with a readable message', async () => {
  const r = await h.req('frobnicate');
  expect(r).toMatchObject({ type: 'response', success: false, command: 'frobnicate', message: "Unsupported debug request 'frobnicate'", request_seq: 1 });
  const m = await h.dbg.handleRequest({ seq: 9, type: 'request', command: '' });
  expect(m).toMatchObject({ success: false, message: 'Missing command', request_seq: 9 });
});

test('debugInfo before initialize: the cell naming scheme, nothing started, nothing stopped', async () => {
  const r = await h.req('debugInfo');
  expect(r.success).toBe(true);
  expect(r.body).toMatchObject({ isStarted: false, hashMethod: 'Murmur2', hashSeed: h.cells.seed, tmpFilePrefix: h.cells.prefix, tmpFileSuffix: '.js', breakpoints: [], stoppedThreads: [] });
});

test('dumpCell records the cell under its hashed path; bad arguments fail with the body clients read', async () => {
  const r = await h.req('dumpCell', { code: CELL });
  expect(r).toMatchObject({ success: true, body: { sourcePath: h.cells.pathFor(CELL) } });
  expect(h.cells.get(h.cells.pathFor(CELL))?.source).toBe(CELL);
  const bad = await h.req('dumpCell', { code: 42 });
  expect(bad).toMatchObject({ success: false, body: { sourcePath: '' } });
  expect(bad.message).toMatch(/code/);
  const none = await h.req('dumpCell');
  expect(none).toMatchObject({ success: false, body: { sourcePath: '' } });
});

test('initialize + attach enable the Debugger domain on the runner and announce thread 1', async () => {
  await attached();
  // Enabled once attached (a warm-up enable/disable before it may or may not have happened).
  const domain = h.cdp.calls.filter((c) => c.method === 'Debugger.enable' || c.method === 'Debugger.disable').map((c) => c.method);
  expect(domain[domain.length - 1]).toBe('Debugger.enable');
  await h.event('initialized');
  expect(await h.event('thread')).toMatchObject({ body: { reason: 'started', threadId: 1 } });
  expect((await h.req('debugInfo')).body).toMatchObject({ isStarted: true });
  expect((await h.req('threads')).body).toEqual({ threads: [{ id: 1, name: 'Notebook (runner pid 0)' }] });
});

test('setBreakpoints on a cell places it by URL on the runner and reports it in debugInfo', async () => {
  await attached();
  h.cdp.on('Debugger.setBreakpointByUrl', () => ({ breakpointId: 'bp-cell-line-2', locations: [] }));
  const path = h.cells.pathFor(CELL);
  const r = await h.req('setBreakpoints', { source: { path }, breakpoints: [{ line: 2 }] });
  expect(r.success).toBe(true);
  expect(r.body).toMatchObject({ breakpoints: [{ verified: true, line: 2 }] });
  const [call] = h.cdp.called('Debugger.setBreakpointByUrl');
  expect(call.params).toMatchObject({ lineNumber: 1 });
  expect(new RegExp(String(call.params.urlRegex)).test(path)).toBe(true);
  expect((await h.req('debugInfo')).body).toMatchObject({ breakpoints: [{ source: path, breakpoints: [{ line: 2 }] }] });
  // Clearing removes it from the runner too.
  await h.req('setBreakpoints', { source: { path }, breakpoints: [] });
  expect(h.cdp.called('Debugger.removeBreakpoint').map((c) => c.params.breakpointId)).toEqual(['bp-cell-line-2']);
  expect((await h.req('debugInfo')).body).toMatchObject({ breakpoints: [] });
});

test('setBreakpoints: bad arguments fail with an empty breakpoints body; a runner error is an unverified breakpoint', async () => {
  await attached();
  const noSource = await h.req('setBreakpoints', { breakpoints: [{ line: 1 }] });
  expect(noSource).toMatchObject({ success: false, body: { breakpoints: [] } });
  const badLine = await h.req('setBreakpoints', { source: { path: h.cells.pathFor(CELL) }, breakpoints: [{ line: 0 }] });
  expect(badLine).toMatchObject({ success: false, body: { breakpoints: [] }, message: 'every breakpoint needs a positive integer `line`' });
  h.cdp.on('Debugger.setBreakpointByUrl', () => {
    throw new CdpFailure('Breakpoint at specified location already exists.');
  });
  const r = await h.req('setBreakpoints', { source: { path: h.cells.pathFor(CELL) }, breakpoints: [{ line: 3 }] });
  expect(r.success).toBe(true);
  expect(r.body).toMatchObject({ breakpoints: [{ verified: false, message: expect.stringMatching(/already exists/) }] });
});

test('a stop: stopped event, stackTrace in cell coordinates, scopes and variables from the runner', async () => {
  await attached();
  const path = h.cells.pathFor(CELL);
  h.cells.record({ path, source: CELL });
  h.cdp.on('Runtime.getProperties', (p) =>
    p.objectId === 'scope-local' ? { result: [{ name: 'x', value: { type: 'number', value: 1, description: '1' }, configurable: true, enumerable: true }] } : { result: [] },
  );
  pauseInCell(path);
  expect(await h.event('stopped')).toMatchObject({ body: { reason: 'breakpoint', threadId: 1 } });
  expect((await h.req('debugInfo')).body).toMatchObject({ stoppedThreads: [1] });

  const st = await h.req('stackTrace', { threadId: 1 });
  expect(st.success).toBe(true);
  const body = st.body as { stackFrames: Array<{ id: number; line: number; source?: { path?: string } }>; totalFrames: number };
  expect(body.totalFrames).toBe(1);
  expect(body.stackFrames[0]).toMatchObject({ line: 2, source: { path } });

  const sc = await h.req('scopes', { frameId: body.stackFrames[0].id });
  const scopes = (sc.body as { scopes: Array<{ name: string; variablesReference: number }> }).scopes;
  expect(scopes.map((s) => s.name)).toContain('Locals');
  const locals = scopes.find((s) => s.name === 'Locals');
  const vars = await h.req('variables', { variablesReference: locals?.variablesReference });
  expect(vars.success).toBe(true);
  expect((vars.body as { variables: unknown[] }).variables).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'x', value: '1', variablesReference: 0 })]));
});

test('next steps over on the runner and stops again with reason step; continue resumes with continued', async () => {
  await attached();
  const path = h.cells.pathFor(CELL);
  h.cells.record({ path, source: CELL });
  pauseInCell(path);
  await h.event('stopped');
  // The runner answers a step by leaving the pause and stopping on the next line.
  h.cdp.on('Debugger.stepOver', () => {
    setImmediate(() => {
      h.cdp.emit('Debugger.resumed');
      pauseInCell(path, { hitBreakpoints: [] });
    });
    return {};
  });
  expect(await h.req('next', { threadId: 1 })).toMatchObject({ success: true });
  expect(h.cdp.called('Debugger.stepOver')).toHaveLength(1);
  expect(await h.event('continued')).toMatchObject({ body: { threadId: 1 } });
  expect(await h.event('stopped')).toMatchObject({ body: { reason: 'step', threadId: 1 } });

  h.cdp.on('Debugger.resume', () => {
    setImmediate(() => h.cdp.emit('Debugger.resumed'));
    return {};
  });
  const c = await h.req('continue', { threadId: 1 });
  expect(c).toMatchObject({ success: true, body: { allThreadsContinued: true } });
  expect(h.cdp.called('Debugger.resume')).toHaveLength(1);
  expect(await h.event('continued')).toMatchObject({ body: { threadId: 1 } });
  expect((await h.req('debugInfo')).body).toMatchObject({ stoppedThreads: [] });
});

test('requests that need a stop fail readably while running; stale or missing references too', async () => {
  await attached();
  const st = await h.req('stackTrace', { threadId: 1 });
  expect(st).toMatchObject({ success: false, message: 'Thread 1 is not paused', body: { stackFrames: [], totalFrames: 0 } });
  const nx = await h.req('next', { threadId: 1 });
  expect(nx).toMatchObject({ success: false, message: 'Thread 1 is not paused' });
  expect(h.cdp.called('Debugger.stepOver')).toHaveLength(0);
  const unknownThread = await h.req('stackTrace', { threadId: 7 });
  expect(unknownThread).toMatchObject({ success: false, message: 'Unknown thread 7' });
  const noRef = await h.req('variables', {});
  expect(noRef).toMatchObject({ success: false, body: { variables: [] } });
  expect(noRef.message).toMatch(/variablesReference/);
  const stale = await h.req('variables', { variablesReference: 999 });
  expect(stale).toMatchObject({ success: false, message: 'Unknown or expired variablesReference 999', body: { variables: [] } });
  // A continue with nothing paused still succeeds (a duplicate continue must not wedge a client).
  expect(await h.req('continue', { threadId: 1 })).toMatchObject({ success: true });
});

test("a runner that fails a CDP call turns into success:false with the runner's message", async () => {
  await attached();
  const path = h.cells.pathFor(CELL);
  h.cells.record({ path, source: CELL });
  pauseInCell(path);
  await h.event('stopped');
  h.cdp.on('Debugger.stepOver', () => {
    throw new CdpFailure('Can only perform operation while paused.');
  });
  const r = await h.req('next', { threadId: 1 });
  expect(r).toMatchObject({ success: false, message: 'Debugger error: Debugger.stepOver: Can only perform operation while paused.' });
});
