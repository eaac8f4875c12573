// The top frame's variables are read ahead once a client asks for the stack (debugger/thread.ts
// prefetchTopFrame): what the client then sees must be what a fresh read would show — also after
// a request in between changed a value — and the scope references stay the same per frame.
// Against a real runner-like process with the in-runner agent (cells here are plain JavaScript).

import type { DebugProtocol } from '@vscode/debugprotocol';
import { DebugHarness } from '../../helpers/debugRunnerHarness';

jest.setTimeout(30000);

type Vars = { variables: DebugProtocol.Variable[] };
type Frames = { stackFrames: DebugProtocol.StackFrame[] };
type Scopes = { scopes: DebugProtocol.Scope[] };

let h: DebugHarness;

beforeAll(async () => {
  h = await DebugHarness.start();
  await h.start();
});
afterEach(async () => {
  await h.releaseAll();
});
afterAll(async () => {
  await h?.stop();
});

const CODE = ['var shared = { n: 1 }, counter = 1;', 'function f(a) {', '  let local = a + 1;', '  return local;', '}', 'f(41);'].join('\n');

async function stopInF(): Promise<{ frame: DebugProtocol.StackFrame; scopes: DebugProtocol.Scope[]; done: Promise<unknown> }> {
  const p = h.cells.pathFor(CODE);
  await h.ok('setBreakpoints', { source: { path: p }, breakpoints: [{ line: 4 }] });
  const m = h.mark();
  const run = h.runCell(CODE);
  await h.waitEvent('stopped', m);
  await h.ok('setBreakpoints', { source: { path: p }, breakpoints: [] });
  const frame = (await h.ok<Frames>('stackTrace', { threadId: 1 })).stackFrames[0];
  const { scopes } = await h.ok<Scopes>('scopes', { frameId: frame.id });
  return { frame, scopes, done: run.done };
}

async function named(ref: number): Promise<Record<string, DebugProtocol.Variable>> {
  const { variables } = await h.ok<Vars>('variables', { variablesReference: ref });
  return Object.fromEntries(variables.map((v) => [v.name, v]));
}

function scope(scopes: DebugProtocol.Scope[], name: string): DebugProtocol.Scope {
  const s = scopes.find((x) => x.name === name);
  if (!s) throw new Error(`no scope ${name} in ${scopes.map((x) => x.name).join(', ')}`);
  return s;
}

// (Locals come from V8's scope objects, which are copies made at the stop: an assignment to a
// local shows at the next stop. Globals are read afresh, so they show a change at once.)
test('globals changed by an evaluation after the stack was asked for are shown changed', async () => {
  const { frame, scopes, done } = await stopInF();
  const globalsRef = scope(scopes, 'Globals').variablesReference;
  // The stack request started reading Locals and Globals; this changes a global before they are asked for.
  await h.ok('evaluate', { expression: 'shared = { n: 2, m: 3 }', frameId: frame.id, context: 'repl' });
  expect((await named(globalsRef)).shared.value).toBe('{n: 2, m: 3}');
  expect((await named(scope(scopes, 'Locals').variablesReference)).local).toMatchObject({ value: '42', type: 'int' });
  await h.ok('continue', { threadId: 1 });
  expect(await done).toMatchObject({ ok: true, value: 42 });
});

test('a setVariable in between is seen too', async () => {
  const { scopes, done } = await stopInF();
  const globalsRef = scope(scopes, 'Globals').variablesReference;
  await h.ok('setVariable', { variablesReference: globalsRef, name: 'counter', value: '7' });
  expect((await named(globalsRef)).counter).toMatchObject({ value: '7', type: 'int' });
  await h.ok('continue', { threadId: 1 });
  await done;
});

test('scopes hand out the same references per frame; variables read twice agree', async () => {
  const { frame, scopes, done } = await stopInF();
  const again = (await h.ok<Scopes>('scopes', { frameId: frame.id })).scopes;
  expect(again.map((s) => s.variablesReference)).toEqual(scopes.map((s) => s.variablesReference));
  for (const s of scopes) {
    const first = await named(s.variablesReference);
    const second = await named(s.variablesReference);
    expect(Object.values(second).map((v) => [v.name, v.value])).toEqual(Object.values(first).map((v) => [v.name, v.value]));
  }
  const globals = await named(scope(scopes, 'Globals').variablesReference);
  // Previews of globals come from the debuggee with the holder (variables/remote.ts).
  expect(globals.shared).toMatchObject({ value: '{n: 1}', type: 'Object' });
  expect(globals.f).toMatchObject({ value: 'ƒ f(a)' });
  await h.ok('continue', { threadId: 1 });
  await done;
});

test('after a step, the new stop shows the new values', async () => {
  const { done } = await stopInF();
  const m = h.mark();
  await h.ok('next', { threadId: 1 });
  await h.waitEvent('stopped', m);
  const frame = (await h.ok<Frames>('stackTrace', { threadId: 1 })).stackFrames[0];
  const { scopes } = await h.ok<Scopes>('scopes', { frameId: frame.id });
  const locals = await named(scope(scopes, 'Locals').variablesReference);
  // Stepping over `return local` leaves f with its return value shown.
  expect(locals['Return value']).toMatchObject({ value: '42' });
  await h.ok('continue', { threadId: 1 });
  await done;
});
