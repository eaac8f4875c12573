// The core JupyterLab debugger flow against a real runner-like process: debugInfo, initialize,
// attach, dumpCell, setBreakpoints, stop in a function called from a cell, stackTrace, scopes,
// variables, next/stepIn/stepOut/continue, evaluate, inspectVariables, disconnect.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { DebugHarness } from '../../helpers/debugRunnerHarness';
import { retryOnce } from '../../helpers/retryOnce';

type Vars = { variables: DebugProtocol.Variable[] };

jest.setTimeout(30000);
retryOnce(
  '"a CPU loop runs at full speed" compares two timings taken one after the other; on a small machine ' +
    'shared with benchmarks, CPU contention alone moved the ratio from 0.9 to 1.47 (limit 1.3) between runs of the same build',
);

let h: DebugHarness;

beforeAll(async () => {
  h = await DebugHarness.start();
});
// The enable steps are one flow across the first tests; after that none leaves a breakpoint set
// or the runner paused for the next, even when it failed half-way.
afterEach(async () => {
  await h.releaseAll();
});
afterAll(async () => {
  await h?.stop();
});

const CELL = ['function add(a, b) {', '  const c = a + b;', '  return c;', '}', 'var total = add(2, 3);', 'total;'].join('\n');

describe('JupyterLab flow', () => {
  test('debugInfo before initialize', async () => {
    const body = await h.ok<{
      isStarted: boolean;
      hashMethod: string;
      hashSeed: number;
      tmpFilePrefix: string;
      tmpFileSuffix: string;
      breakpoints: unknown[];
      stoppedThreads: number[];
      richRendering: boolean;
      copyToGlobals: boolean;
    }>('debugInfo');
    expect(body.isStarted).toBe(false);
    expect(body.hashMethod).toBe('Murmur2');
    expect(body.hashSeed).toBe(3339675911);
    expect(body.tmpFilePrefix).toContain('ipykernel_');
    expect(body.tmpFileSuffix).toBe('.ts');
    expect(body.breakpoints).toEqual([]);
    expect(body.stoppedThreads).toEqual([]);
    expect(body.richRendering).toBe(true);
    expect(body.copyToGlobals).toBe(true);
  });

  test('initialize + attach, initialized event after the reply', async () => {
    // A long-running runner's agent is up already: make sure ours is before timing.
    await h.ok('inspectVariables', {});
    const m = h.mark();
    const t0 = performance.now();
    const caps = await h.ok<DebugProtocol.Capabilities>('initialize', { clientID: 'jupyterlab', adapterID: 'typescript', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    expect(caps.supportsModulesRequest).toBe(true);
    expect(caps.exceptionBreakpointFilters?.map((f) => f.filter)).toEqual(['uncaught', 'caught']);
    expect(h.events.slice(m).some((e) => e.event === 'initialized')).toBe(false);
    await h.ok('attach', {});
    const ms = performance.now() - t0;
    await h.waitEvent('initialized', m);
    console.log(`initialize+attach: ${ms.toFixed(1)} ms`);
    expect((await h.ok<{ isStarted: boolean }>('debugInfo')).isStarted).toBe(true);
  });

  test('breakpoint in a function called from the cell: stop, inspect, step, continue', async () => {
    const { sourcePath } = await h.ok<{ sourcePath: string }>('dumpCell', { code: CELL });
    expect(sourcePath).toBe(h.cells.pathFor(CELL));
    const set = await h.ok<{ breakpoints: DebugProtocol.Breakpoint[] }>('setBreakpoints', { source: { path: sourcePath }, breakpoints: [{ line: 2 }], sourceModified: false });
    expect(set.breakpoints).toHaveLength(1);
    expect(set.breakpoints[0]).toMatchObject({ verified: true, line: 2, source: { path: sourcePath } });
    const info = await h.ok<{ breakpoints: { source: string; breakpoints: { line: number }[] }[] }>('debugInfo');
    expect(info.breakpoints).toEqual([{ source: sourcePath, breakpoints: [{ line: 2 }] }]);

    const m = h.mark();
    const t0 = performance.now();
    const run = h.runCell(CELL);
    const stopped = await h.waitEvent('stopped', m);
    console.log(`execute -> stopped: ${(performance.now() - t0).toFixed(1)} ms`);
    expect(stopped.body).toMatchObject({ reason: 'breakpoint', threadId: 1, allThreadsStopped: true });
    expect((await h.ok<{ stoppedThreads: number[] }>('debugInfo')).stoppedThreads).toEqual([1]);

    const t1 = performance.now();
    const st = await h.ok<{ stackFrames: DebugProtocol.StackFrame[] }>('stackTrace', { threadId: 1 });
    expect(st.stackFrames.map((f) => [f.name, f.line, f.source?.path])).toEqual([
      ['add', 2, sourcePath],
      ['<cell>', 5, sourcePath],
    ]);
    const sc = await h.ok<{ scopes: DebugProtocol.Scope[] }>('scopes', { frameId: st.stackFrames[0].id });
    expect(sc.scopes.map((s) => s.name)).toEqual(['Locals', 'Globals']);
    const [locals, globals] = await Promise.all(sc.scopes.map((s) => h.ok<Vars>('variables', { variablesReference: s.variablesReference })));
    console.log(`stackTrace+scopes+variables: ${(performance.now() - t1).toFixed(1)} ms`);
    const byName = Object.fromEntries(locals.variables.map((v) => [v.name, v]));
    expect(byName.a).toMatchObject({ value: '2', type: 'int', variablesReference: 0, evaluateName: 'a' });
    expect(byName.b).toMatchObject({ value: '3', type: 'int' });
    expect(byName.c).toMatchObject({ value: 'undefined' });
    expect(globals.variables.map((v) => v.name)).toEqual(expect.arrayContaining(['add', 'total']));
    expect(globals.variables.map((v) => v.name)).not.toContain('process');
    expect(globals.variables.map((v) => v.name)).not.toContain('require');

    // next: continued then stopped (reason step), c now computed.
    let m2 = h.mark();
    const t2 = performance.now();
    await h.ok('next', { threadId: 1 });
    await h.waitEvent('continued', m2);
    const s2 = await h.waitEvent('stopped', m2);
    console.log(`next -> stopped: ${(performance.now() - t2).toFixed(2)} ms`);
    expect(s2.body).toMatchObject({ reason: 'step', threadId: 1 });
    const st2 = await h.ok<{ stackFrames: DebugProtocol.StackFrame[] }>('stackTrace', { threadId: 1 });
    expect(st2.stackFrames[0].line).toBe(3);
    expect(st2.stackFrames[0].id).not.toBe(st.stackFrames[0].id);
    const ev = await h.ok<{ result: string; type: string }>('evaluate', { expression: 'c * 10', frameId: st2.stackFrames[0].id, context: 'repl' });
    expect(ev).toMatchObject({ result: '50', type: 'int' });

    // stepOut: back in the cell at line 5.
    m2 = h.mark();
    await h.ok('stepOut', { threadId: 1 });
    await h.waitEvent('stopped', m2);
    const st3 = await h.ok<{ stackFrames: DebugProtocol.StackFrame[] }>('stackTrace', { threadId: 1 });
    expect(st3.stackFrames).toHaveLength(1);
    // V8 pauses after the call completes: on the call's line or the next statement.
    expect(st3.stackFrames[0].name).toBe('<cell>');
    expect(st3.stackFrames[0].line).toBeGreaterThanOrEqual(5);

    m2 = h.mark();
    await h.ok('continue', { threadId: 1 });
    await h.waitEvent('continued', m2);
    expect(await run.done).toMatchObject({ ok: true, value: 5 });
    expect((await h.ok<{ stoppedThreads: number[] }>('debugInfo')).stoppedThreads).toEqual([]);
  });

  test('stepIn from the cell into a function', async () => {
    const code = ['function twice(x) {', '  return x * 2;', '}', 'var r1 = 1;', 'var r2 = twice(r1);'].join('\n');
    const p = h.cells.pathFor(code);
    await h.ok('setBreakpoints', { source: { path: p }, breakpoints: [{ line: 5 }] });
    let m = h.mark();
    const run = h.runCell(code);
    await h.waitEvent('stopped', m);
    m = h.mark();
    await h.ok('stepIn', { threadId: 1 });
    const s = await h.waitEvent('stopped', m);
    expect(s.body).toMatchObject({ reason: 'step' });
    const st = await h.ok<{ stackFrames: DebugProtocol.StackFrame[] }>('stackTrace', { threadId: 1 });
    expect(st.stackFrames.map((f) => [f.name, f.line])).toEqual([
      ['twice', 2],
      ['<cell>', 5],
    ]);
    await h.ok('continue', { threadId: 1 });
    expect((await run.done).ok).toBe(true);
  });

  test('inspectVariables when not stopped shows user globals only', async () => {
    const body = await h.ok<Vars>('inspectVariables', {});
    const names = body.variables.map((v) => v.name);
    expect(names).toEqual(expect.arrayContaining(['add', 'total', 'r1', 'r2']));
    for (const builtin of ['process', 'console', 'require', 'setTimeout', 'globalThis', 'Buffer']) expect(names).not.toContain(builtin);
    expect(body.variables.find((v) => v.name === 'total')).toMatchObject({ value: '5', type: 'int', variablesReference: 0 });
    const add = body.variables.find((v) => v.name === 'add')!;
    expect(add.type).toBe('function');
    expect(add.variablesReference).toBeGreaterThan(0);
  });

  test('evaluate globally when not stopped', async () => {
    expect(await h.ok('evaluate', { expression: "'a' + 'b'", context: 'repl' })).toMatchObject({ result: "'ab'", type: 'str' });
    const bad = await h.request('evaluate', { expression: 'notDefinedAnywhere', context: 'repl' });
    expect(bad.success).toBe(false);
    expect(bad.message).toMatch(/notDefinedAnywhere is not defined/);
  });

  test('a CPU loop runs at full speed with a breakpoint elsewhere', async () => {
    const loop = 'var t0 = performance.now(); var acc = 0;\nfor (var n = 0; n < 2e7; n++) acc += n % 7;\nperformance.now() - t0;';
    const other = 'function neverCalled() {\n  return 1;\n}\n';
    await h.ok('setBreakpoints', { source: { path: h.cells.pathFor(other) }, breakpoints: [{ line: 2 }] });
    await h.runCell(other).done;
    const time = async (): Promise<number> => {
      const xs: number[] = [];
      for (let i = 0; i < 5; i++) xs.push(Number((await h.runCell(loop).done).value));
      return xs.sort((a, b) => a - b)[2];
    };
    const withBp = await time();
    await h.ok('disconnect', {});
    const without = await time();
    await h.start();
    console.log(`hot loop: ${without.toFixed(1)} ms without debugger, ${withBp.toFixed(1)} ms attached with a breakpoint elsewhere (${(withBp / without).toFixed(2)}x)`);
    expect(withBp / without).toBeLessThan(1.3);
  });

  test('disconnect resumes, clears breakpoints; re-initialize works', async () => {
    const code = 'var z = 1;\nz += 1;\n';
    const p = h.cells.pathFor(code);
    await h.ok('setBreakpoints', { source: { path: p }, breakpoints: [{ line: 2 }] });
    const m = h.mark();
    const run = h.runCell(code);
    await h.waitEvent('stopped', m);
    await h.ok('disconnect', { restart: false, terminateDebuggee: false });
    await h.waitEvent('continued', m);
    expect((await run.done).ok).toBe(true);
    const info = await h.ok<{ isStarted: boolean; breakpoints: unknown[]; stoppedThreads: number[] }>('debugInfo');
    expect(info).toMatchObject({ isStarted: false, breakpoints: [], stoppedThreads: [] });
    // Breakpoints are gone from V8: running again does not stop.
    expect((await h.runCell(code).done).ok).toBe(true);
    await h.start();
    expect((await h.ok<{ isStarted: boolean }>('debugInfo')).isStarted).toBe(true);
  });
});
