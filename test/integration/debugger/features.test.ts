// Debugger features beyond the basic flow, against a real runner-like process: conditional, hit
// and log breakpoints, exception filters, pausing a busy loop, variables of big and structured
// values, getters, copyToGlobals, rich inspection, sources, bad inputs, runner restarts.

import type { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugHarness } from '../../helpers/debugRunnerHarness';

jest.setTimeout(30000);

type Vars = { variables: DebugProtocol.Variable[] };
type Frames = { stackFrames: DebugProtocol.StackFrame[] };

let h: DebugHarness;

beforeAll(async () => {
  h = await DebugHarness.start();
  await h.start();
});
// A test that failed while stopped, or before clearing its breakpoints, leaves neither behind.
afterEach(async () => {
  await h.releaseAll();
});
afterAll(async () => {
  await h?.stop();
});

async function topFrame(): Promise<DebugProtocol.StackFrame> {
  return (await h.ok<Frames>('stackTrace', { threadId: 1 })).stackFrames[0];
}

async function scopeVars(frameId: number, scope = 'Locals'): Promise<Record<string, DebugProtocol.Variable>> {
  const { scopes } = await h.ok<{ scopes: DebugProtocol.Scope[] }>('scopes', { frameId });
  const s = scopes.find((x) => x.name === scope);
  if (!s) throw new Error(`no scope ${scope} in ${scopes.map((x) => x.name)}`);
  const { variables } = await h.ok<Vars>('variables', { variablesReference: s.variablesReference });
  return Object.fromEntries(variables.map((v) => [v.name, v]));
}

async function children(ref: number): Promise<DebugProtocol.Variable[]> {
  return (await h.ok<Vars>('variables', { variablesReference: ref })).variables;
}

/** Runs a cell expected to stop; returns the stopped event body and the run. */
async function runToStop(code: string): Promise<{ stopped: DebugProtocol.StoppedEvent['body']; done: Promise<unknown> }> {
  const m = h.mark();
  const run = h.runCell(code);
  const e = await h.waitEvent('stopped', m);
  return { stopped: e.body as DebugProtocol.StoppedEvent['body'], done: run.done };
}

async function continueToEnd(done: Promise<unknown>): Promise<void> {
  await h.ok('continue', { threadId: 1 });
  await done;
}

async function clearBreakpoints(path: string): Promise<void> {
  await h.ok('setBreakpoints', { source: { path }, breakpoints: [] });
}

describe('breakpoint kinds', () => {
  test('conditional breakpoint stops only when true', async () => {
    const code = 'var hits = [];\nfor (var i = 0; i < 10; i++) {\n  hits.push(i);\n}\n';
    const p = h.cells.pathFor(code);
    await h.ok('setBreakpoints', { source: { path: p }, breakpoints: [{ line: 3, condition: 'i === 5' }] });
    const { done } = await runToStop(code);
    const vars = await scopeVars((await topFrame()).id);
    expect(vars.i).toMatchObject({ value: '5', type: 'int' });
    await continueToEnd(done);
    await clearBreakpoints(p);
  });

  test('hit condition is counted in V8 (stops on the 3rd hit)', async () => {
    const code = 'for (var j = 0; j < 10; j++) {\n  j;\n}\n';
    const p = h.cells.pathFor(code);
    await h.ok('setBreakpoints', { source: { path: p }, breakpoints: [{ line: 2, hitCondition: '==3' }] });
    const { done } = await runToStop(code);
    expect((await scopeVars((await topFrame()).id)).j.value).toBe('2');
    const m = h.mark();
    await continueToEnd(done);
    expect(h.events.slice(m).filter((e) => e.event === 'stopped')).toHaveLength(0);
    await clearBreakpoints(p);
  });

  test('logpoint logs through the runner and never stops; re-sent lists do not double-log', async () => {
    const code = 'for (var k = 0; k < 3; k++) {\n  k;\n}\n';
    const p = h.cells.pathFor(code);
    const bps = [{ line: 2, logMessage: 'k is {k}, twice {k * 2}' }];
    const first = await h.ok<{ breakpoints: DebugProtocol.Breakpoint[] }>('setBreakpoints', { source: { path: p }, breakpoints: bps });
    const again = await h.ok<{ breakpoints: DebugProtocol.Breakpoint[] }>('setBreakpoints', { source: { path: p }, breakpoints: bps });
    expect(again.breakpoints[0].id).toBe(first.breakpoints[0].id);
    const m = h.mark();
    expect(await h.runCell(code).done).toMatchObject({ ok: true });
    expect(h.events.slice(m).filter((e) => e.event === 'stopped')).toHaveLength(0);
    const deadline = Date.now() + 2000;
    while (!h.runner.stdout().includes('k is 2, twice 4') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const lines = h.runner
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('k is'));
    expect(lines).toEqual(['k is 0, twice 0', 'k is 1, twice 2', 'k is 2, twice 4']);
    await clearBreakpoints(p);
  });

  test('invalid condition: unverified with a message, never stops', async () => {
    const code = 'var q = 1;\nq++;\n';
    const p = h.cells.pathFor(code);
    const r = await h.ok<{ breakpoints: DebugProtocol.Breakpoint[] }>('setBreakpoints', {
      source: { path: p },
      breakpoints: [
        { line: 2, condition: 'q ===' },
        { line: 1, hitCondition: 'lots' },
      ],
    });
    expect(r.breakpoints.map((b) => b.verified)).toEqual([false, false]);
    expect(r.breakpoints[0].message).toMatch(/Invalid condition/);
    expect(r.breakpoints[1].message).toMatch(/Invalid hit condition/);
    expect(await h.runCell(code).done).toMatchObject({ ok: true });
    await clearBreakpoints(p);
  });

  test('breakpoint on a blank line moves to the next statement and reports it', async () => {
    const code = 'var s1 = 1;\n\nvar s2 = 2;\n';
    const p = h.cells.pathFor(code);
    await h.ok('setBreakpoints', { source: { path: p }, breakpoints: [{ line: 2 }] });
    const m = h.mark();
    const { done } = await runToStop(code);
    expect((await topFrame()).line).toBe(3);
    const ev = await h.waitEvent('breakpoint', m);
    expect(ev.body).toMatchObject({ reason: 'changed', breakpoint: { verified: true, line: 3, source: { path: p } } });
    await continueToEnd(done);
    await clearBreakpoints(p);
  });

  test('debugger statement stops', async () => {
    const { stopped, done } = await runToStop('var ds = 1;\ndebugger;\nds++;\n');
    expect(stopped).toMatchObject({ threadId: 1, allThreadsStopped: true });
    expect((await topFrame()).line).toBe(2);
    await continueToEnd(done);
  });

  test('breakpoints in a real file loaded with require bind when it loads', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-mod-')), 'external.js');
    fs.writeFileSync(file, 'exports.myTest = function () {\n  var i = 4;\n  i += 4;\n  i += 3;\n  return i;\n};\n');
    const r = await h.ok<{ breakpoints: DebugProtocol.Breakpoint[] }>('setBreakpoints', { source: { path: file }, breakpoints: [{ line: 3 }, { line: 5 }] });
    expect(r.breakpoints).toHaveLength(2);
    const { done } = await runToStop(`var ext = require(${JSON.stringify(file)});\nvar res = ext.myTest();\n`);
    let f = await topFrame();
    expect(f).toMatchObject({ line: 3, source: { path: file } });
    expect((await scopeVars(f.id)).i.value).toBe('4');
    let m = h.mark();
    await h.ok('next', { threadId: 1 });
    await h.waitEvent('stopped', m);
    f = await topFrame();
    expect((await scopeVars(f.id)).i.value).toBe('8');
    m = h.mark();
    await h.ok('continue', { threadId: 1 });
    await h.waitEvent('stopped', m);
    f = await topFrame();
    expect(f.line).toBe(5);
    expect((await scopeVars(f.id)).i.value).toBe('11');
    const src = await h.ok<{ content: string }>('source', { source: { path: file }, sourceReference: 0 });
    expect(src.content).toContain('i += 3');
    const mods = await h.ok<{ modules: DebugProtocol.Module[] }>('modules', {});
    expect(mods.modules.map((x) => x.path)).toContain(file);
    await continueToEnd(done);
    await clearBreakpoints(file);
  });
});

describe('exceptions', () => {
  afterEach(async () => {
    await h.ok('setExceptionBreakpoints', { filters: [] });
  });

  test('uncaught: stops on an error that escapes the cell, not on one the cell catches', async () => {
    await h.ok('setExceptionBreakpoints', { filters: ['uncaught'] });
    const caught = await h.runCell('var caughtIt;\ntry {\n  null.x;\n} catch (e) {\n  caughtIt = e.message;\n}\n').done;
    expect(caught).toMatchObject({ ok: true });
    const { stopped, done } = await runToStop('function thrower() {\n  return 3 * undefinedThing;\n}\nvar a3 = thrower();\n');
    expect(stopped).toMatchObject({ reason: 'exception', threadId: 1 });
    expect((await topFrame()).line).toBe(2);
    const info = await h.ok<DebugProtocol.ExceptionInfoResponse['body']>('exceptionInfo', { threadId: 1 });
    expect(info.description).toMatch(/undefinedThing is not defined/);
    await continueToEnd(done);
    expect(await done).toMatchObject({ ok: false });
  });

  test('caught: stops even when the cell catches', async () => {
    await h.ok('setExceptionBreakpoints', { filters: ['caught'] });
    const { stopped, done } = await runToStop('try {\n  JSON.parse("{");\n} catch (e) {}\n');
    expect(stopped.reason).toBe('exception');
    expect((await topFrame()).line).toBe(2);
    await continueToEnd(done);
  });

  test('no filters: errors do not stop', async () => {
    const m = h.mark();
    expect(await h.runCell('null.boom;').done).toMatchObject({ ok: false });
    expect(h.events.slice(m).some((e) => e.event === 'stopped')).toBe(false);
  });
});

describe('pause', () => {
  test('pauses a running infinite loop, then continue; interrupt resumes', async () => {
    const code = 'var spin = 0;\nrequire("node:fs").writeSync(1, "spinning\\n");\nwhile (true) {\n  spin++;\n}\n';
    const run = h.runCell(code);
    // Wait until the loop is really running (it says so on stdout just before it starts).
    const deadline = Date.now() + 5000;
    while (!h.runner.stdout().includes('spinning') && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    expect(h.runner.stdout()).toContain('spinning');
    const m = h.mark();
    const t0 = performance.now();
    await h.ok('pause', { threadId: 1 });
    const e = await h.waitEvent('stopped', m);
    console.log(`pause -> stopped: ${(performance.now() - t0).toFixed(1)} ms`);
    expect(e.body).toMatchObject({ reason: 'pause', threadId: 1 });
    const f = await topFrame();
    expect(f.source?.path).toBe(run.path);
    expect([3, 4]).toContain(f.line);
    expect(h.dbg.isStopped()).toBe(true);
    await h.ok('continue', { threadId: 1 });
    await h.waitEvent('continued', m);
    // End the loop the way the kernel does: SIGINT (breakOnSigint).
    h.runner.proc.kill('SIGINT');
    expect(await run.done).toMatchObject({ ok: false });
  });
});

describe('variables', () => {
  test('arrays are chunked; a 1e6-element array costs what a small one does', async () => {
    const { done } = await runToStop('var big = Array.from({ length: 1000000 }, (_, i) => i);\nvar small = [1, 2, 3];\nvar holey = [1, , 3];\ndebugger;\n');
    const f = await topFrame();
    const t0 = performance.now();
    const vars = await scopeVars(f.id);
    const bigKids = await children(vars.big.variablesReference);
    const ms = performance.now() - t0;
    console.log(`variables incl. a 1e6 array: ${ms.toFixed(1)} ms`);
    expect(vars.big).toMatchObject({ type: 'Array', indexedVariables: 1000000 });
    expect(vars.big.value).toMatch(/^Array\(1000000\) \[0, 1, 2/);
    expect(bigKids).toHaveLength(101);
    expect(bigKids[0].name).toBe('[0…9999]');
    expect(bigKids[99].name).toBe('[990000…999999]');
    expect(bigKids[100]).toMatchObject({ name: 'length', value: '1000000' });
    const sub = await children(bigKids[99].variablesReference);
    expect(sub).toHaveLength(100);
    expect(sub[0].name).toBe('[990000…990099]');
    const leaf = await children(sub[99].variablesReference);
    expect(leaf.map((v) => v.name)).toEqual(Array.from({ length: 100 }, (_, i) => String(999900 + i)));
    expect(leaf[99]).toMatchObject({ value: '999999', type: 'int', evaluateName: 'big[999999]' });
    const small = await children(vars.small.variablesReference);
    expect(small.map((v) => [v.name, v.value])).toEqual([
      ['0', '1'],
      ['1', '2'],
      ['2', '3'],
      ['length', '3'],
    ]);
    expect(ms).toBeLessThan(200);
    await continueToEnd(done);
  });

  test('Map, Set, class instances, getters (not invoked until expanded), symbols, primitives', async () => {
    const code = [
      'class Point { constructor(x, y) { this.x = x; this.y = y; } get norm() { globalThis.getterRuns = (globalThis.getterRuns || 0) + 1; return Math.hypot(this.x, this.y); } }',
      'var pt = new Point(3, 4);',
      "var m = new Map([['a', 1], [{ k: 1 }, 'obj']]);",
      'var st = new Set([1, 2]);',
      "var prims = { i: 42, f: 1.5, s: 'hi', b: true, u: undefined, n: null, big: 10n, sym: Symbol('t'), nan: NaN, [Symbol('key')]: 1 };",
      'var fnv = function named(a, b) { return a + b; };',
      'debugger;',
    ].join('\n');
    const { done } = await runToStop(code);
    const vars = await scopeVars((await topFrame()).id);
    expect(vars.pt).toMatchObject({ type: 'Point' });
    const ptKids = await children(vars.pt.variablesReference);
    expect(ptKids.map((v) => v.name)).toEqual(['x', 'y', 'norm']);
    const norm = ptKids[2];
    expect(norm).toMatchObject({ value: '(...)', evaluateName: 'pt.norm' });
    const evGlobal = await h.ok<{ result: string }>('evaluate', { expression: 'globalThis.getterRuns', context: 'repl', frameId: (await topFrame()).id });
    expect(evGlobal.result).toBe('undefined');
    expect(await children(norm.variablesReference)).toMatchObject([{ name: 'norm', value: '5', type: 'int' }]);

    expect(vars.m).toMatchObject({ type: 'Map' });
    const mKids = await children(vars.m.variablesReference);
    expect(mKids[0]).toMatchObject({ name: "'a'", value: '1', evaluateName: "m.get('a')" });
    expect(mKids[1].name).toBe('[1]');
    expect(mKids[2]).toMatchObject({ name: 'size', value: '2' });
    const entry = await children(mKids[1].variablesReference);
    expect(entry.map((v) => v.name)).toEqual(['key', 'value']);
    expect((await children(vars.st.variablesReference)).map((v) => v.value)).toEqual(['1', '2', '2']);

    const p = Object.fromEntries((await children(vars.prims.variablesReference)).map((v) => [v.name, v]));
    expect(p.i).toMatchObject({ value: '42', type: 'int' });
    expect(p.f).toMatchObject({ value: '1.5', type: 'float' });
    expect(p.s).toMatchObject({ value: "'hi'", type: 'str' });
    expect(p.b).toMatchObject({ value: 'true', type: 'bool' });
    expect(p.u).toMatchObject({ value: 'undefined' });
    expect(p.n).toMatchObject({ value: 'null' });
    expect(p.big).toMatchObject({ value: '10n' });
    expect(p.big.type).toBeUndefined();
    expect(p.sym.value).toBe('Symbol(t)');
    expect(p.nan).toMatchObject({ value: 'NaN', type: 'float' });
    expect(p['Symbol(key)']).toBeDefined();
    expect(vars.fnv).toMatchObject({ type: 'function', value: 'ƒ named(a, b)' });
    expect(vars.fnv.variablesReference).toBeGreaterThan(0);
    await continueToEnd(done);
  });

  test('Locals/Closure/Globals and this in a method', async () => {
    const code = ['var outerG = 1;', 'function make() {', '  var captured = 7;', '  return { run(x) { var local = x + captured; debugger; return local; } };', '}', 'make().run(5);'].join('\n');
    const { done } = await runToStop(code);
    const f = await topFrame();
    expect(f.name).toBe('run');
    const { scopes } = await h.ok<{ scopes: DebugProtocol.Scope[] }>('scopes', { frameId: f.id });
    expect(scopes.map((s) => s.name)).toEqual(['Locals', 'Closure', 'Globals']);
    const locals = await scopeVars(f.id, 'Locals');
    expect(Object.keys(locals)).toEqual(expect.arrayContaining(['this', 'x', 'local']));
    expect((await scopeVars(f.id, 'Closure')).captured.value).toBe('7');
    expect((await scopeVars(f.id, 'Globals')).outerG.value).toBe('1');
    await continueToEnd(done);
  });

  test('setVariable changes a local; evaluate assignment creates a global', async () => {
    const { done } = await runToStop('function sv() {\n  var v = 1;\n  debugger;\n  return v;\n}\nvar svr = sv();\n');
    const f = await topFrame();
    const { scopes } = await h.ok<{ scopes: DebugProtocol.Scope[] }>('scopes', { frameId: f.id });
    const r = await h.ok<{ value: string }>('setVariable', { variablesReference: scopes[0].variablesReference, name: 'v', value: '41 + 1' });
    expect(r.value).toBe('42');
    await h.ok('evaluate', { expression: 'kk = 123', frameId: f.id, context: 'repl' });
    await continueToEnd(done);
    const inspected = await h.ok<Vars>('inspectVariables', {});
    const byName = Object.fromEntries(inspected.variables.map((v) => [v.name, v]));
    expect(byName.svr.value).toBe('42');
    expect(byName.kk).toMatchObject({ value: '123', type: 'int' });
  });

  test('copyToGlobals copies a frame local to a global', async () => {
    const { done } = await runToStop("function cg() {\n  var localThing = { a: 1, b: 'two' };\n  debugger;\n}\ncg();\n");
    const f = await topFrame();
    await h.ok('copyToGlobals', { srcVariableName: 'localThing', dstVariableName: 'localThing_copy', srcFrameId: f.id });
    const locals = await scopeVars(f.id, 'Locals');
    const globals = await scopeVars(f.id, 'Globals');
    expect(globals.localThing_copy).toMatchObject({ value: locals.localThing.value, type: locals.localThing.type });
    await continueToEnd(done);
  });

  test('richInspectVariables returns the runner MIME bundle, stopped and not', async () => {
    await h.runCell("var text = 'Hello the world';\nvar rich = { [Symbol.for('Jupyter.display')]() { return { 'text/html': '<b>rich</b>' }; } };\n").done;
    const r = await h.ok<{ data: Record<string, unknown> }>('richInspectVariables', { variableName: 'text' });
    expect(r.data['text/plain']).toBe("'Hello the world'");
    expect((await h.ok<{ data: Record<string, unknown> }>('richInspectVariables', { variableName: 'rich' })).data['text/html']).toBe('<b>rich</b>');
    expect(await h.ok('richInspectVariables', { variableName: 'nope_not_defined' })).toEqual({ data: {}, metadata: {} });
    expect(await h.ok('richInspectVariables', { variableName: '[0…99]' })).toEqual({ data: {}, metadata: {} });
    const { done } = await runToStop('function ri(a) {\n  debugger;\n}\nri(12);\n');
    const f = await topFrame();
    const locals = await scopeVars(f.id);
    const rr = await h.ok<{ data: Record<string, unknown> }>('richInspectVariables', { variableName: 'a', frameId: f.id });
    expect(rr.data['text/plain']).toBe(locals.a.value);
    await continueToEnd(done);
  });

  test('variables paging with start/count', async () => {
    const { done } = await runToStop('var pg1 = 4;\nvar pg2 = [10, 20, 30, 40];\ndebugger;\n');
    const vars = await scopeVars((await topFrame()).id);
    const page = await h.ok<Vars>('variables', { variablesReference: vars.pg2.variablesReference, start: 1, count: 1 });
    expect(page.variables).toEqual([expect.objectContaining({ name: '1', value: '20' })]);
    await continueToEnd(done);
  });
});

describe('sources, modules, threads', () => {
  test('source of a dumped cell is the exact code; loadedSources lists run cells', async () => {
    const code = "const s = 'héllo ✓ 🚀';";
    const { sourcePath } = await h.ok<{ sourcePath: string }>('dumpCell', { code });
    expect(sourcePath.endsWith('800538718.ts')).toBe(true);
    expect((await h.ok<{ content: string }>('source', { source: { path: sourcePath }, sourceReference: 0 })).content).toBe(code);
    await h.runCell('var listed = 1;').done;
    // The script's scriptParsed event travels on the CDP pipe, not with the cell's completion:
    // ask until it has been seen (bounded).
    const want = h.cells.pathFor('var listed = 1;');
    let ls = await h.ok<{ sources: DebugProtocol.Source[] }>('loadedSources', {});
    for (const deadline = Date.now() + 5000; !ls.sources.some((s) => s.path === want) && Date.now() < deadline;) {
      await new Promise((r) => setImmediate(r));
      ls = await h.ok<{ sources: DebugProtocol.Source[] }>('loadedSources', {});
    }
    expect(ls.sources.map((s) => s.path)).toContain(want);
    expect(ls.sources.every((s) => !s.path!.startsWith('node:'))).toBe(true);
    expect((await h.ok<DebugProtocol.ThreadsResponse['body']>('threads')).threads).toEqual([expect.objectContaining({ id: 1 })]);
  });
});

describe('bad input never goes unanswered', () => {
  test.each([
    ['noSuchCommand', {}],
    ['setBreakpoints', {}],
    ['setBreakpoints', { source: { path: '/x.ts' }, breakpoints: [{ line: 'two' }] }],
    ['stackTrace', { threadId: 1 }],
    ['stackTrace', { threadId: 99 }],
    ['scopes', { frameId: 123456 }],
    ['scopes', {}],
    ['variables', { variablesReference: 'x' }],
    ['evaluate', {}],
    ['source', { source: { path: '/definitely/not/here.ts' } }],
    ['source', {}],
    ['dumpCell', {}],
    ['copyToGlobals', { srcVariableName: 'a', dstVariableName: 'b', srcFrameId: 999 }],
    ['next', { threadId: 1 }],
    ['exceptionInfo', { threadId: 1 }],
    ['setExceptionBreakpoints', { filters: 'all' }],
  ])('%s %j', async (command, args) => {
    const r = await h.request(command, args);
    expect(r.success).toBe(false);
    expect(typeof r.message).toBe('string');
    expect(r.body).toBeDefined();
    if (command === 'stackTrace') expect(r.body).toMatchObject({ stackFrames: [] });
    if (command === 'scopes') expect(r.body).toMatchObject({ scopes: [] });
    if (command === 'setBreakpoints') expect(r.body).toMatchObject({ breakpoints: [] });
  });

  test('variables of reference 0 and unknown references are empty lists', async () => {
    expect(await h.ok('variables', { variablesReference: 0 })).toEqual({ variables: [] });
    expect((await h.request('variables', { variablesReference: 987654 })).success).toBe(false);
  });

  test('continue when nothing is stopped succeeds; configurationDone is a no-op', async () => {
    expect((await h.request('continue', { threadId: 1 })).success).toBe(true);
    expect((await h.request('configurationDone', {})).success).toBe(true);
    expect((await h.request('configurationDone')).success).toBe(true);
  });
});

describe('runner restart', () => {
  test('re-attaches, re-applies breakpoints, clears the stopped state', async () => {
    const code = 'var rr = 1;\nrr++;\n';
    const p = h.cells.pathFor(code);
    await h.ok('setBreakpoints', { source: { path: p }, breakpoints: [{ line: 2 }] });
    const m = h.mark();
    void h.runCell(code);
    await h.waitEvent('stopped', m);
    await h.restartRunner();
    await h.waitEvent('continued', m);
    expect(h.dbg.isStopped()).toBe(false);
    expect((await h.ok<{ stoppedThreads: number[] }>('debugInfo')).stoppedThreads).toEqual([]);
    const { done } = await runToStop(code);
    expect((await topFrame()).line).toBe(2);
    await continueToEnd(done);
    await clearBreakpoints(p);
  });
});
