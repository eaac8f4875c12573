// Variables, rich inspection, evaluate, copyToGlobals and breakpoint kinds through Jupyter
// messages: inspectVariables/richInspectVariables with the Symbol.for('Jupyter.display')
// convention (§5 #7, #8, #20, #21), copyToGlobals (#9, #25), evaluate with and without a frame
// (#3, #29), conditional / hit-count / log breakpoints (#30), variables paging (#22).

import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapClient, varNamed } from '../../helpers/dapClient';
import { KernelClient, type Execution } from '../../helpers/kernelClient';

jest.setTimeout(60000);

let kc: KernelClient;
let dap: DapClient;

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'typescript' });
  dap = new DapClient(kc);
  await dap.start('typescript');
});
// Breakpoints are cleared and a paused runner resumed after every test, even one that failed
// before its own cleanup: the next test's cells would wait behind it.
afterEach(async () => {
  await dap.releaseAll();
});
afterAll(async () => {
  await kc?.shutdown();
});

const run = (code: string) => kc.run(code);

const finish = (exec: Execution) => kc.finish(exec);

const RICH_CLASS = ['class Badge {', '  constructor(public label: string) {}', "  [Symbol.for('Jupyter.display')]() {", "    return { 'text/html': `<b>${this.label}</b>` };", '  }', '}'].join('\n');

describe('not stopped', () => {
  test('inspectVariables lists user globals, including const/let (§5 #7, #20)', async () => {
    expect((await kc.execute("const text = 'Hello the world';\nlet i = 4;\nvar j = i + 4;\nconst k = j - 3;")).reply.content.status).toBe('ok');
    const { variables } = await dap.ok<{ variables: DebugProtocol.Variable[] }>('inspectVariables', {});
    expect(varNamed(variables, 'text')).toMatchObject({ value: "'Hello the world'", type: 'str', variablesReference: 0 });
    expect(varNamed(variables, 'i')).toMatchObject({ value: '4', type: 'int', variablesReference: 0 });
    expect(varNamed(variables, 'j')).toMatchObject({ value: '8', variablesReference: 0 });
    expect(varNamed(variables, 'k')).toMatchObject({ value: '5', variablesReference: 0 });
    for (const hidden of ['require', 'module', 'exports', 'console', 'process']) expect(variables.some((v) => v.name === hidden)).toBe(false);
    const rich = await dap.ok('richInspectVariables', { variableName: 'text' });
    expect(rich.data).toEqual({ 'text/plain': "'Hello the world'" });
  });

  test('references returned by inspectVariables stay expandable', async () => {
    expect((await kc.execute("const obj = { a: 1, nested: { b: 'x' }, list: [1, 2, 3] };")).reply.content.status).toBe('ok');
    const { variables } = await dap.ok<{ variables: DebugProtocol.Variable[] }>('inspectVariables', {});
    const obj = varNamed(variables, 'obj');
    expect(obj.variablesReference).toBeGreaterThan(0);
    await dap.ok('inspectVariables', {}); // a refresh (JupyterLab sends one per IOPub message)
    const kids = (await dap.ok<{ variables: DebugProtocol.Variable[] }>('variables', { variablesReference: obj.variablesReference })).variables;
    expect(varNamed(kids, 'a')).toMatchObject({ value: '1', type: 'int' });
    expect(varNamed(kids, 'list').variablesReference).toBeGreaterThan(0);
    // Functions are always expandable in JupyterLab: ref 0 must answer with an empty list.
    const zero = await dap.request('variables', { variablesReference: 0 });
    expect(zero.body.variables).toEqual([]);
  });

  test('richInspectVariables with the Jupyter.display convention (§5 #21)', async () => {
    expect((await kc.execute(`${RICH_CLASS}\nconst badge = new Badge('hi');`)).reply.content.status).toBe('ok');
    const rich = await dap.ok('richInspectVariables', { variableName: 'badge' });
    expect(rich.data['text/html']).toBe('<b>hi</b>');
    expect(String(rich.data['text/plain'] ?? '')).not.toBe('');
    const missing = await dap.ok('richInspectVariables', { variableName: 'doesNotExist' });
    expect(missing.data).toEqual({});
    const nested = await dap.ok('richInspectVariables', { variableName: 'special variables' });
    expect(nested.data).toEqual({});
  });

  test('evaluate without a frame (§5 #3) and failure (§5 #29)', async () => {
    const r = await dap.ok('evaluate', { expression: "'a' + 'b'", context: 'repl' });
    expect(r.result).toBe("'ab'");
    const sum = await dap.ok('evaluate', { expression: 'i + j', context: 'repl' });
    expect(sum.result).toBe('12');
    const bad = await dap.request('evaluate', { expression: 'notDefinedAnywhere', context: 'repl' });
    expect(bad.success).toBe(false);
    expect(bad.message).toBeTruthy();
    expect(bad.body).toHaveProperty('result');
  });
});

describe('stopped', () => {
  const CELL = [
    'function scale(factor: number) {',
    `  ${RICH_CLASS.split('\n').join('\n  ')}`,
    "  const local = new Badge('in-frame');",
    '  const arr = Array.from({ length: 250 }, (_, n) => n * factor);',
    '  return arr.length;',
    '}',
    'scale(2);',
  ].join('\n');
  // Line of `return arr.length;`.
  const RETURN_LINE = CELL.split('\n').findIndex((l) => l.includes('return arr.length')) + 1;

  test('variables, rich inspect in frame, evaluate in frame, copyToGlobals, paging', async () => {
    const { path } = await dap.setCellBreakpoints(CELL, [RETURN_LINE]);
    const m = dap.mark();
    const exec = run(CELL);
    await dap.waitEvent('stopped', m);
    const st = await dap.inspectStop();
    expect(st.frames[0]).toMatchObject({ name: 'scale', line: RETURN_LINE, source: { path } });
    const frameId = st.frames[0].id;
    const locals = st.vars.Locals;
    expect(varNamed(locals, 'factor')).toMatchObject({ value: '2', type: 'int', evaluateName: 'factor' });
    const arr = varNamed(locals, 'arr');
    expect(arr.type).toBe('Array');
    expect(arr.variablesReference).toBeGreaterThan(0);
    // 250 elements: chunked or listed, every element reachable.
    const kids = (await dap.ok<{ variables: DebugProtocol.Variable[] }>('variables', { variablesReference: arr.variablesReference })).variables;
    expect(kids.length).toBeLessThanOrEqual(260);
    // Paging (§5 #22): start/count return exactly count variables.
    const page = await dap.ok<{ variables: DebugProtocol.Variable[] }>('variables', { variablesReference: st.scopes[0].variablesReference, start: 1, count: 1 });
    expect(page.variables).toHaveLength(1);

    // Rich inspect in the frame (§5 #8, #21).
    const rich = await dap.ok('richInspectVariables', { variableName: 'local', frameId });
    expect(rich.data['text/html']).toBe('<b>in-frame</b>');
    const plain = await dap.ok('richInspectVariables', { variableName: 'factor', frameId });
    expect(plain.data).toEqual({ 'text/plain': varNamed(locals, 'factor').value });

    // evaluate in frame.
    const ev = await dap.ok('evaluate', { expression: 'factor * 10', context: 'repl', frameId });
    expect(ev.result).toBe('20');
    const evBad = await dap.request('evaluate', { expression: 'nope.nope', context: 'repl', frameId });
    expect(evBad.success).toBe(false);

    // copyToGlobals (§5 #9, #25): top frame, same name twice as JupyterLab sends; then another name.
    await dap.ok('copyToGlobals', { srcVariableName: 'factor', dstVariableName: 'factor', srcFrameId: frameId });
    await dap.ok('copyToGlobals', { srcVariableName: 'local', dstVariableName: 'local_copy', srcFrameId: frameId });
    const scopes = (await dap.ok<{ scopes: DebugProtocol.Scope[] }>('scopes', { frameId })).scopes;
    const globals = (await dap.ok<{ variables: DebugProtocol.Variable[] }>('variables', { variablesReference: scopes.find((s) => s.name === 'Globals')!.variablesReference })).variables;
    const localVar = varNamed((await dap.ok('variables', { variablesReference: scopes.find((s) => s.name === 'Locals')!.variablesReference })).variables, 'local');
    const copy = varNamed(globals, 'local_copy');
    expect(copy.evaluateName).toContain('local_copy');
    expect([copy.value, copy.type]).toEqual([localVar.value, localVar.type]);
    expect(varNamed(globals, 'factor')).toMatchObject({ value: '2' });

    await dap.ok('continue', { threadId: 1 });
    expect((await finish(exec)).content.status).toBe('ok');
    await dap.setCellBreakpoints(CELL, []);
    // The copies outlive the pause.
    expect((await dap.ok('evaluate', { expression: 'local_copy.label', context: 'repl' })).result).toBe("'in-frame'");
  });

  test('conditional breakpoint stops only where the condition holds', async () => {
    const code = 'let acc = 0;\nfor (let i = 0; i < 10; i++) {\n  acc += i;\n}\nacc;';
    const { breakpoints } = await dap.setCellBreakpoints(code, [{ line: 3, condition: 'i === 5' }]);
    expect(breakpoints[0]).toMatchObject({ verified: true, line: 3 });
    const m = dap.mark();
    const exec = run(code);
    await dap.waitEvent('stopped', m);
    const st = await dap.inspectStop();
    const all = [...st.vars.Locals, ...(st.vars.Globals ?? [])];
    expect(varNamed(all, 'i').value).toBe('5');
    const m2 = dap.mark();
    await dap.ok('continue', { threadId: 1 });
    const r = await finish(exec);
    expect(r.content.status).toBe('ok');
    expect(
      dap
        .events()
        .slice(m2)
        .filter((e) => e.event === 'stopped'),
    ).toHaveLength(0);
    await dap.setCellBreakpoints(code, []);
  });

  test('hit-count breakpoint stops from the n-th hit on (js-debug semantics: "4" means >= 4)', async () => {
    const code = 'let hits = 0;\nfor (let q = 0; q < 10; q++) {\n  hits += 1;\n}\nhits;';
    await dap.setCellBreakpoints(code, [{ line: 3, hitCondition: '4' }]);
    const m = dap.mark();
    const exec = run(code);
    await dap.waitEvent('stopped', m);
    const { stackFrames } = await dap.ok('stackTrace', { threadId: 1 });
    const ev = await dap.ok('evaluate', { expression: 'q', context: 'repl', frameId: stackFrames[0].id });
    expect(ev.result).toBe('3');
    const m2 = dap.mark();
    await dap.ok('continue', { threadId: 1 });
    await dap.waitEvent('stopped', m2);
    const top = (await dap.ok('stackTrace', { threadId: 1 })).stackFrames[0];
    expect((await dap.ok('evaluate', { expression: 'q', context: 'repl', frameId: top.id })).result).toBe('4');
    // Removing the breakpoint while paused lets the loop run to the end.
    await dap.setCellBreakpoints(code, []);
    await dap.ok('continue', { threadId: 1 });
    expect((await finish(exec)).content.status).toBe('ok');
    await dap.setCellBreakpoints(code, []);
  });

  test('logpoint prints to the cell output and does not stop', async () => {
    const code = 'let total2 = 0;\nfor (let w = 0; w < 3; w++) {\n  total2 += w;\n}\ntotal2;';
    await dap.setCellBreakpoints(code, [{ line: 3, logMessage: 'w is {w}' }]);
    const m = dap.mark();
    const r = await kc.execute(code);
    expect(r.reply.content.status).toBe('ok');
    expect(
      dap
        .events()
        .slice(m)
        .some((e) => e.event === 'stopped'),
    ).toBe(false);
    const printed =
      r.stdout +
      r.stderr +
      dap
        .events()
        .slice(m)
        .filter((e) => e.event === 'output')
        .map((e) => e.body.output)
        .join('');
    expect(printed).toContain('w is 0');
    expect(printed).toContain('w is 2');
    await dap.setCellBreakpoints(code, []);
  });
});
