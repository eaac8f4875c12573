// The debugger against the kernel's real runner (kernel/dist: RuntimeClient + runner + transpiler):
// runner frames hidden, async (top-level await) cells collapse to one <cell> frame, TypeScript
// cells whose transform needs a source map stop on the right line, user globals exclude the
// runner's helpers, rich inspection uses the runner's display machinery. Needs `npm run build`.

import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'node:path';
import { CellFiles } from '../../../kernel/src/common/cellFiles';
import { logger } from '../../../kernel/src/common/log';
import type { DapEvent, DapResponse, IDebugger, RunnerCdpLink } from '../../../kernel/src/debugger/api';
import { createDebugger } from '../../../kernel/src/debugger';

jest.setTimeout(30000);

const DIST = path.resolve(__dirname, '../../../kernel/dist');
/* eslint-disable @typescript-eslint/no-require-imports */
const { RuntimeClient } = require(path.join(DIST, 'runtime/client.js')) as typeof import('../../../kernel/src/runtime/client');
const { stripTypes } = require(path.join(DIST, 'lang/transpile/strip.js')) as typeof import('../../../kernel/src/lang/transpile/strip');
const { replTransform } = require(path.join(DIST, 'lang/transpile/replTransform.js')) as typeof import('../../../kernel/src/lang/transpile/replTransform');

type Frames = { stackFrames: DebugProtocol.StackFrame[] };
type Vars = { variables: DebugProtocol.Variable[] };

const cells = new CellFiles('typescript');
const events: DapEvent[] = [];
const output: string[] = [];
let runtime: InstanceType<typeof RuntimeClient>;
let dbg: IDebugger;
let seq = 1;
let execId = 1;
let wake: (() => void) | undefined;

async function ok<B>(command: string, args?: unknown): Promise<B> {
  const r: DapResponse = await dbg.handleRequest({ seq: seq++, type: 'request', command, arguments: args });
  if (!r.success) throw new Error(`${command}: ${r.message}`);
  return r.body as B;
}

async function waitEvent(name: string, from: number, ms = 5000): Promise<DapEvent> {
  const deadline = Date.now() + ms;
  for (;;) {
    const e = events.slice(from).find((x) => x.event === name);
    if (e) return e;
    if (Date.now() > deadline) throw new Error(`no '${name}' event; got ${events.slice(from).map((x) => x.event)}`);
    await new Promise<void>((r) => {
      wake = r;
      setTimeout(r, 50);
    });
  }
}

/** Transpiles and records the cell like the kernel core does, then executes it in the runner. */
function run(code: string) {
  const p = cells.pathFor(code);
  const stripped = stripTypes(code, p);
  const repl = replTransform(stripped.code);
  cells.record({ path: p, source: code, map: stripped.map, wrapperColumn: repl.wrapperColumn });
  const id = execId++;
  // Like the kernel core: let the debugger finish moving breakpoints through the new map first.
  return {
    path: p,
    done: dbg
      .ready()
      .then(() => runtime.execute({ id, code: repl.code, filename: p, label: `Cell [${id}]`, source: code, isAsync: repl.isAsync, silent: false, userExpressions: {}, allowStdin: false })),
  };
}

async function stopIn(code: string) {
  const m = events.length;
  const r = run(code);
  await waitEvent('stopped', m);
  const { stackFrames } = await ok<Frames>('stackTrace', { threadId: 1 });
  return { ...r, frames: stackFrames };
}

async function locals(frameId: number): Promise<Record<string, DebugProtocol.Variable>> {
  const { scopes } = await ok<{ scopes: DebugProtocol.Scope[] }>('scopes', { frameId });
  const { variables } = await ok<Vars>('variables', { variablesReference: scopes[0].variablesReference });
  return Object.fromEntries(variables.map((v) => [v.name, v]));
}

async function resume(done: Promise<unknown>): Promise<void> {
  await ok('continue', { threadId: 1 });
  await done;
}

beforeAll(async () => {
  let onRestart: ((l: RunnerCdpLink) => void) | undefined;
  runtime = new RuntimeClient(
    {
      stream: (_c: number, _n: string, text: string) => output.push(text),
      display: () => undefined,
      clear: () => undefined,
      inputRequest: () => Promise.reject(new Error('no stdin')),
      asyncError: () => undefined,
      comm: () => undefined,
      runnerRestarted: (link: { cdp: import('node:stream').Duplex; pid: number }) => onRestart?.({ stream: link.cdp, pid: link.pid }),
    },
    process.cwd(),
  );
  await runtime.whenReady();
  dbg = createDebugger({
    language: 'typescript',
    cells,
    emit: (e) => {
      events.push(e);
      wake?.();
    },
    onRunner: (cb) => {
      onRestart = cb;
      cb({ stream: runtime.cdpStream, pid: runtime.pid });
    },
    log: logger('dap'),
  });
  await ok('initialize', { adapterID: 'typescript', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  await ok('attach', {});
});

afterAll(async () => {
  await dbg?.dispose();
  await runtime?.dispose();
});

test('runner frames are hidden; a function called from a cell shows two frames', async () => {
  const code = 'function sq(x: number): number {\n  const y = x * x;\n  return y;\n}\nconst out = sq(4);\n';
  const p = cells.pathFor(code);
  await ok('setBreakpoints', { source: { path: p }, breakpoints: [{ line: 3 }] });
  const { frames, done } = await stopIn(code);
  expect(frames.map((f) => [f.name, f.line, f.source?.path])).toEqual([
    ['sq', 3, p],
    ['<cell>', 5, p],
  ]);
  expect((await locals(frames[0].id)).y).toMatchObject({ value: '16', type: 'int' });
  await resume(done);
  await ok('setBreakpoints', { source: { path: p }, breakpoints: [] });
});

test('top-level await cell: exactly one <cell> frame, its variables visible', async () => {
  const code = 'const a1 = await Promise.resolve(5);\nconst b1 = a1 + 1;\nconsole.log(b1);\n';
  const p = cells.pathFor(code);
  await ok('setBreakpoints', { source: { path: p }, breakpoints: [{ line: 2 }, { line: 3 }] });
  const { frames, done } = await stopIn(code);
  expect(frames).toHaveLength(1);
  expect(frames[0]).toMatchObject({ name: '<cell>', line: 2, source: { path: p } });
  expect((await locals(frames[0].id)).a1).toMatchObject({ value: '5', type: 'int' });
  const m = events.length;
  await ok('next', { threadId: 1 });
  await waitEvent('stopped', m);
  const st = await ok<Frames>('stackTrace', { threadId: 1 });
  expect(st.stackFrames.map((f) => [f.name, f.line])).toEqual([['<cell>', 3]]);
  expect((await locals(st.stackFrames[0].id)).b1.value).toBe('6');
  await resume(done);
  await ok('setBreakpoints', { source: { path: p }, breakpoints: [] });
});

test('synchronous top-level cell: one <cell> frame', async () => {
  const code = 'let t1 = 1;\nt1 += 1;\n';
  const p = cells.pathFor(code);
  await ok('setBreakpoints', { source: { path: p }, breakpoints: [{ line: 2 }] });
  const { frames, done } = await stopIn(code);
  expect(frames.map((f) => [f.name, f.line])).toEqual([['<cell>', 2]]);
  expect((await locals(frames[0].id)).t1.value).toBe('1');
  await resume(done);
  await ok('setBreakpoints', { source: { path: p }, breakpoints: [] });
});

test('TypeScript transform with a source map (enum): breakpoints land on the TS line', async () => {
  const code = ['enum Color {', '  Red,', '  Green,', '}', 'const c1: Color = Color.Green;', 'const c2 = c1 + 10;', 'c2;'].join('\n');
  const p = cells.pathFor(code);
  await ok('dumpCell', { code });
  await ok('setBreakpoints', { source: { path: p }, breakpoints: [{ line: 6 }] });
  const first = await stopIn(code);
  expect(first.frames[0]).toMatchObject({ name: '<cell>', line: 6 });
  expect((await locals(first.frames[0].id)).c1.value).toBe('1');
  await resume(first.done);
  // Second run: the map is known before the run.
  const second = await stopIn(code);
  expect(second.frames[0].line).toBe(6);
  await resume(second.done);
  await ok('setBreakpoints', { source: { path: p }, breakpoints: [] });
});

test('inspectVariables: user globals only, never the runner helpers', async () => {
  await run('const answer = 42;\nconst greeting = "hi";\n').done;
  const { variables } = await ok<Vars>('inspectVariables', {});
  const names = variables.map((v) => v.name);
  expect(names).toEqual(expect.arrayContaining(['answer', 'greeting']));
  for (const helper of ['display', 'require', 'module', 'exports', 'prompt', 'input', 'comms', '__filename', '__dirname', 'process', 'console']) expect(names).not.toContain(helper);
  const rich = await ok<{ data: Record<string, unknown> }>('richInspectVariables', { variableName: 'greeting' });
  expect(rich.data['text/plain']).toBeDefined();
});

test('uncaught filter stops on a cell error although the runner catches it', async () => {
  await ok('setExceptionBreakpoints', { filters: ['uncaught'] });
  const caught = await run('try { JSON.parse("{"); } catch { }\n').done;
  expect(caught.status).toBe('ok');
  const m = events.length;
  const r = run('const v9 = 1;\nthrow new Error("cell failed");\n');
  const e = await waitEvent('stopped', m);
  expect(e.body).toMatchObject({ reason: 'exception' });
  const { stackFrames } = await ok<Frames>('stackTrace', { threadId: 1 });
  expect(stackFrames.map((f) => [f.name, f.line])).toEqual([['<cell>', 2]]);
  await ok('continue', { threadId: 1 });
  expect((await r.done).status).toBe('error');
  await ok('setExceptionBreakpoints', { filters: [] });
});
