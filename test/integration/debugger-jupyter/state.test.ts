// Debugger state seen by a second client and across cells, through Jupyter messages: reload while
// paused (§5 #35, kernel_info on control), unicode cells (#36), pause of a running loop (#38),
// modules/source without starting (#39), exception filters (#23, #40), idempotent re-sent
// breakpoints (#41), and leading empty lines (#6).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { murmur2 } from '../../../kernel/src/common/murmur2';
import { DapClient } from '../../helpers/dapClient';
import { KernelClient, type Execution } from '../../helpers/kernelClient';

jest.setTimeout(60000);

let kc: KernelClient;
let dap: DapClient;
let cwd: string;

beforeAll(async () => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-dbg-state-'));
  fs.writeFileSync(path.join(cwd, 'helper.js'), ['exports.triple = function triple(x) {', '  const y = x * 3;', '  return y;', '};', ''].join('\n'));
  kc = await KernelClient.start({ language: 'typescript', cwd });
  dap = new DapClient(kc);
});
afterAll(async () => {
  await kc?.shutdown();
});

const run = (code: string) => kc.run(code);

const finish = (exec: Execution) => kc.finish(exec);

describe('before the debugger is started (§5 #39)', () => {
  test('modules and source work without initialize', async () => {
    await dap.request('debugInfo', undefined, { seq: 0 });
    expect((await kc.execute("const helper = require('./helper.js'); helper.triple(2)")).reply.content.status).toBe('ok');
    const body = await dap.ok<{ modules: DebugProtocol.Module[] }>('modules', {});
    const mod = body.modules.find((m) => m.path === path.join(cwd, 'helper.js'));
    expect(mod).toBeDefined();
    expect(mod!.name).toBe('helper.js');
    for (const m of body.modules) {
      const src = await dap.ok('source', { source: { sourceReference: 0, path: m.path }, sourceReference: 0 });
      expect(typeof src.content).toBe('string');
    }
    const src = await dap.ok('source', { source: { path: mod!.path }, sourceReference: 0 });
    expect(src.content).toContain('const y = x * 3;');
  });
});

describe('started', () => {
  beforeAll(async () => {
    await dap.start('typescript');
  });
  // A test that failed while paused, or before removing its breakpoints or exception filters,
  // leaves none of them to the next.
  afterEach(async () => {
    await dap.releaseAll();
  });

  test('re-sent identical setBreakpoints are idempotent (§5 #41)', async () => {
    const code = 'let n = 1;\nn += 1;\nn += 1;';
    const a = await dap.setCellBreakpoints(code, [2, 3]);
    const b = await dap.setCellBreakpoints(code, [2, 3]);
    const c = await dap.setCellBreakpoints(code, [2, 3]);
    expect(b.breakpoints.map((x) => [x.id, x.line])).toEqual(a.breakpoints.map((x) => [x.id, x.line]));
    expect(c.breakpoints.map((x) => [x.id, x.line])).toEqual(a.breakpoints.map((x) => [x.id, x.line]));
    const info = await dap.ok('debugInfo', {});
    expect(info.breakpoints.filter((s: { source: string }) => s.source === a.path)).toEqual([{ source: a.path, breakpoints: [{ line: 2 }, { line: 3 }] }]);
    await dap.setCellBreakpoints(code, []);
    expect((await dap.ok('debugInfo', {})).breakpoints).toEqual([]);
  });

  test('leading empty lines keep cell line numbers (§5 #6)', async () => {
    const code = '\n\nfunction g(x: number) {\n  return x + 1;\n}\nconst r6 = g(1);\nr6;';
    const { path: p } = await dap.setCellBreakpoints(code, [6]);
    const m = dap.mark();
    const exec = run(code);
    const e = await dap.waitEvent('stopped', m);
    expect(e.body).toMatchObject({ reason: 'breakpoint', threadId: 1 });
    const { stackFrames } = await dap.ok('stackTrace', { threadId: 1 });
    expect(stackFrames).toHaveLength(1);
    expect(stackFrames[0]).toMatchObject({ line: 6, source: { path: p } });
    await dap.ok('continue', { threadId: 1 });
    expect((await finish(exec)).content.status).toBe('ok');
    await dap.setCellBreakpoints(code, []);
  });

  test('unicode cell: dumpCell path equals the frontend hash path; frames match (§5 #36)', async () => {
    const code = "const s = 'héllo ✓ 🚀';\nconst n2 = s.length;\nn2;";
    const info = await dap.ok('debugInfo', {});
    const expected = `${info.tmpFilePrefix}${murmur2(code, Number(info.hashSeed))}${info.tmpFileSuffix}`;
    const { path: p } = await dap.setCellBreakpoints(code, [2]);
    expect(p).toBe(expected);
    const m = dap.mark();
    const exec = run(code);
    await dap.waitEvent('stopped', m);
    const { stackFrames } = await dap.ok('stackTrace', { threadId: 1 });
    expect(stackFrames[0]).toMatchObject({ line: 2, source: { path: expected } });
    expect((await dap.ok('debugInfo', {})).breakpoints).toEqual([{ source: expected, breakpoints: [{ line: 2 }] }]);
    await dap.ok('continue', { threadId: 1 });
    expect((await finish(exec)).content.status).toBe('ok');
    await dap.setCellBreakpoints(code, []);
  });

  test('reload while paused: a second client gets kernel_info on control and the paused state (§5 #35)', async () => {
    const code = 'function h(v: number) {\n  const w = v * 2;\n  return w;\n}\nh(21);';
    const { path: p } = await dap.setCellBreakpoints(code, [2]);
    const m = dap.mark();
    const exec = run(code);
    await dap.waitEvent('stopped', m);
    // Server's reconnect nudge: kernel_info_request on control, answered while paused.
    const ki = await kc.request('control', 'kernel_info_request', {}, 5000);
    expect(ki.content.status).toBe('ok');
    // The reloaded page: seq-0 debugInfo, debugInfo, no initialize.
    const page2 = new DapClient(kc);
    await page2.request('debugInfo', undefined, { seq: 0 });
    const info = await page2.ok('debugInfo', {});
    expect(info).toMatchObject({ isStarted: true, stoppedThreads: [1], breakpoints: [{ source: p, breakpoints: [{ line: 2 }] }] });
    const again = await page2.ok('setBreakpoints', { breakpoints: [{ line: 2 }], source: { path: p }, sourceModified: false });
    expect(again.breakpoints[0]).toMatchObject({ verified: true, line: 2 });
    await page2.ok('setExceptionBreakpoints', { filters: [] });
    const st = await page2.inspectStop(info.stoppedThreads[0]);
    expect(st.frames[0]).toMatchObject({ name: 'h', line: 2, source: { path: p } });
    expect(st.vars.Locals.find((v) => v.name === 'v')).toMatchObject({ value: '21', type: 'int' });
    await page2.ok('continue', { threadId: 1 });
    const r = await finish(exec);
    expect(r.content.status).toBe('ok');
    await dap.setCellBreakpoints(code, []);
  });

  test('pause a running loop: stopped with reason pause, then continue (§5 #38)', async () => {
    const code = 'let spins = 0;\nconst until = Date.now() + 4000;\nwhile (Date.now() < until) {\n  spins++;\n}\nspins > 0;';
    const cellPath = (await dap.ok('dumpCell', { code })).sourcePath;
    const exec = run(code);
    await kc.waitIopub((x) => x.header.msg_type === 'execute_input' && x.parent_header.msg_id === exec.msgId, 10000, 'execute_input');
    // A pause can land just before the loop starts: in the runner's code (the debugger skips it and
    // stops at the cell's first statement) or on lines 1-2. Resume and pause again until the loop.
    const inLoop = (f?: DebugProtocol.StackFrame): boolean => f !== undefined && f.source?.path === cellPath && f.line >= 3 && f.line <= 4;
    let frames: DebugProtocol.StackFrame[] = [];
    let paused = false;
    try {
      for (let attempt = 0; attempt < 5 && !inLoop(frames[0]); attempt++) {
        if (paused) await dap.ok('continue', { threadId: 1 });
        const m = dap.mark();
        const t0 = Date.now();
        expect((await dap.request('pause', { threadId: 1 })).success).toBe(true);
        const e = await dap.waitEvent('stopped', m, 5000);
        paused = true;
        expect(e.body).toMatchObject({ reason: 'pause', threadId: 1 });
        expect(Date.now() - t0).toBeLessThan(3000);
        frames = (await dap.ok('stackTrace', { threadId: 1 })).stackFrames;
      }
      expect(frames[0].source?.path).toBe(cellPath);
      expect(frames[0].line).toBeGreaterThanOrEqual(3);
      expect(frames[0].line).toBeLessThanOrEqual(4);
    } finally {
      if (paused) await dap.request('continue', { threadId: 1 });
    }
    const reply = await finish(exec);
    expect(reply.content.status).toBe('ok');
  });

  test('exception filters: uncaught throw in a cell stops with reason exception (§5 #23, #40)', async () => {
    const caps = await dap.ok('initialize', { clientID: 'jupyterlab', adapterID: 'typescript', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    const ids = (caps.exceptionBreakpointFilters as DebugProtocol.ExceptionBreakpointsFilter[]).map((f) => f.filter);
    expect(ids).toContain('uncaught');
    await dap.ok('setExceptionBreakpoints', { filters: ['uncaught'] });
    const code = 'const base = 3;\nconst a = base * (undef as number);\na;';
    const m = dap.mark();
    const exec = run(code);
    const e = await dap.waitEvent('stopped', m);
    expect(e.body).toMatchObject({ reason: 'exception', threadId: 1 });
    const { stackFrames } = await dap.ok('stackTrace', { threadId: 1 });
    expect(stackFrames[0].line).toBe(2);
    const info = await dap.request('exceptionInfo', { threadId: 1 });
    expect(info.success).toBe(true);
    expect(JSON.stringify(info.body)).toContain('ReferenceError');
    await dap.ok('continue', { threadId: 1 });
    const r = await finish(exec);
    expect(r.content.status).toBe('error');
    expect(r.content.ename).toBe('ReferenceError');
    // A caught exception does not stop with only 'uncaught'.
    const m2 = dap.mark();
    const ok = await kc.execute('let caughtIt = false;\ntry { JSON.parse("{"); } catch { caughtIt = true; }\ncaughtIt;');
    expect(ok.reply.content.status).toBe('ok');
    expect(
      dap
        .events()
        .slice(m2)
        .some((x) => x.event === 'stopped'),
    ).toBe(false);
    await dap.ok('setExceptionBreakpoints', { filters: [] });
    const r2 = await kc.execute('throw new Error("plain")');
    expect(r2.reply.content.status).toBe('error');
  });

  test('caught filter stops on a caught exception', async () => {
    await dap.ok('setExceptionBreakpoints', { filters: ['caught'] });
    const m = dap.mark();
    const exec = run('let got = 0;\ntry {\n  JSON.parse("{");\n} catch {\n  got = 1;\n}\ngot;');
    const e = await dap.waitEvent('stopped', m);
    expect(e.body.reason).toBe('exception');
    await dap.ok('continue', { threadId: 1 });
    expect((await finish(exec)).content.status).toBe('ok');
    await dap.ok('setExceptionBreakpoints', { filters: [] });
  });

  test('breakpoint in a required file: stop, source by path', async () => {
    const file = path.join(cwd, 'helper.js');
    const set = await dap.ok('setBreakpoints', { breakpoints: [{ line: 3 }], source: { path: file }, sourceModified: false });
    expect(set.breakpoints[0]).toMatchObject({ line: 3, source: { path: file } });
    const m = dap.mark();
    // Its own require: no reliance on the global an earlier test's cell defined.
    const exec = run("require('./helper.js').triple(5);");
    await dap.waitEvent('stopped', m);
    const st = await dap.inspectStop();
    expect(st.frames[0]).toMatchObject({ name: 'triple', line: 3, source: { path: file } });
    expect(st.vars.Locals.find((v) => v.name === 'y')).toMatchObject({ value: '15' });
    await dap.ok('continue', { threadId: 1 });
    expect((await finish(exec)).content.status).toBe('ok');
    await dap.ok('setBreakpoints', { breakpoints: [], source: { path: file }, sourceModified: false });
  });
});
