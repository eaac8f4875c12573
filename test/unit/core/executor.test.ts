// The execute pipeline, in memory (fake runtime, real interpreter, recording messenger): the order
// a frontend sees (execute_input, output, result, reply, idle), silent and store_history, magics,
// compile errors, the type-check policy, and an interrupt while the cell is still being prepared.

import type { Diagnostic, LanguageFeatures } from '../../../kernel/src/core/ports';
import { ok } from '../doubles/fakeRuntime';
import { memoryKernel } from '../doubles/memoryKernel';
import { replyTo, request, trace } from '../doubles/recordingMessenger';

const execute = (code: string, extra: Record<string, unknown> = {}) => request('execute_request', { code, ...extra });

test("execute_input, the cell's output, execute_result, then the reply and idle — all parented to the request", async () => {
  const k = memoryKernel({ language: 'javascript' });
  k.runtime.script = (order, sink) => {
    sink.stream(order.id, 'stdout', 'hi\n');
    sink.display(order.id, { data: { 'text/html': '<b>x</b>' }, metadata: {} }, 'd1', false);
    return ok(order, '42');
  };
  const req = k.send('shell', execute('console.log("hi"); 42'));
  await k.idle(req);
  expect(trace(k.wire, req.header.msg_id)).toEqual(['status:busy', 'execute_input', 'stream', 'display_data', 'execute_result', 'execute_reply', 'status:idle']);
  const by = (t: string) => k.wire.sent.find((s) => s.msg.header.msg_type === t)?.msg.content;
  expect(by('execute_input')).toEqual({ code: 'console.log("hi"); 42', execution_count: 1 });
  expect(by('display_data')).toEqual({ data: { 'text/html': '<b>x</b>' }, metadata: {}, transient: { display_id: 'd1' } });
  expect(by('execute_result')).toEqual({ execution_count: 1, data: { 'text/plain': '42' }, metadata: {} });
  expect(by('execute_reply')).toEqual({ status: 'ok', execution_count: 1, user_expressions: {}, payload: [] });
  // The runtime got JavaScript for the cell, with the cell's path and label.
  expect(k.runtime.executed[0]).toMatchObject({ label: 'Cell [1]', source: 'console.log("hi"); 42', filename: k.cells.pathFor('console.log("hi"); 42'), silent: false });
});

test('output arriving after the reply (a timer) is still parented to its cell', async () => {
  const k = memoryKernel({ language: 'javascript' });
  let late: (() => void) | undefined;
  k.runtime.script = (order, sink) => {
    late ??= () => sink.stream(order.id, 'stdout', 'later\n');
    return ok(order);
  };
  const first = k.send('shell', execute('setTimeout(() => console.log("later"), 10)'));
  await k.idle(first);
  const second = k.send('shell', execute('1'));
  await k.idle(second);
  late?.();
  const out = k.wire.sent.find((s) => s.msg.header.msg_type === 'stream');
  expect(out?.msg.parent_header).toEqual(first.header);
});

test('silent: no execute_input, no result, the count does not move', async () => {
  const k = memoryKernel({ language: 'javascript' });
  k.runtime.script = (order) => ok(order, '3');
  const req = k.send('shell', execute('1 + 2', { silent: true }));
  await k.idle(req);
  expect(trace(k.wire, req.header.msg_id)).toEqual(['status:busy', 'execute_reply', 'status:idle']);
  expect(replyTo(k.wire, req)?.content).toMatchObject({ status: 'ok', execution_count: 0 });
  expect(k.runtime.executed[0].silent).toBe(true);
});

test('store_history false: runs and shows output, but neither counts nor enters history', async () => {
  const k = memoryKernel({ language: 'javascript' });
  const a = k.send('shell', execute('"kept"'));
  const b = k.send('shell', execute('"not kept"', { store_history: false }));
  await k.idle(b);
  expect(replyTo(k.wire, a)?.content).toMatchObject({ execution_count: 1 });
  expect(replyTo(k.wire, b)?.content).toMatchObject({ status: 'ok', execution_count: 1 });
  expect(trace(k.wire, b.header.msg_id)).toContain('execute_input');
  const h = k.send('shell', request('history_request', { hist_access_type: 'tail', n: 10, output: false, raw: true }));
  await k.idle(h);
  const history = replyTo(k.wire, h)?.content.history;
  expect(Array.isArray(history) ? history.map((row: unknown) => (Array.isArray(row) ? row[2] : row)) : history).toEqual(['"kept"']);
});

test("magics run before the code; an unknown magic is the cell's error and nothing runs", async () => {
  const k = memoryKernel();
  const ls = k.send('shell', execute('%lsmagic'));
  await k.idle(ls);
  const text = k.wire.sent
    .filter((s) => s.msg.parent_header.msg_id === ls.header.msg_id && s.msg.header.msg_type === 'stream')
    .map((s) => String(s.msg.content.text))
    .join('');
  expect(text).toMatch(/%typecheck/);
  expect(replyTo(k.wire, ls)?.content).toMatchObject({ status: 'ok', execution_count: 1 });

  const bad = k.send('shell', execute('%nope\n1'));
  await k.idle(bad);
  expect(trace(k.wire, bad.header.msg_id)).toEqual(['status:busy', 'execute_input', 'error', 'execute_reply', 'status:idle']);
  expect(replyTo(k.wire, bad)?.content).toMatchObject({ status: 'error', ename: 'MagicError', evalue: expect.stringMatching(/Unknown magic %nope/), execution_count: 2 });
  expect(k.runtime.executed).toEqual([]);
});

test('a syntax error is an error reply with a caret under the cell line; the runtime never sees it', async () => {
  const k = memoryKernel();
  const req = k.send('shell', execute('const a = 1;\nlet b = ;'));
  await k.idle(req);
  const reply = replyTo(k.wire, req)?.content;
  expect(reply).toMatchObject({ status: 'error', ename: 'SyntaxError', execution_count: 1 });
  const tb = reply?.traceback;
  expect(Array.isArray(tb) && tb.join('\n')).toMatch(/Cell \[1\], line 2:\d+:\n2 \| let b = ;\n {2}\| +\^/);
  expect(trace(k.wire, req.header.msg_id)).toEqual(['status:busy', 'execute_input', 'error', 'execute_reply', 'status:idle']);
  expect(k.runtime.executed).toEqual([]);
});

test('a request with a code that is not a string: BadRequest, nothing runs, the count stays', async () => {
  const k = memoryKernel();
  const req = k.send('shell', request('execute_request', { code: 42 }));
  await k.idle(req);
  expect(replyTo(k.wire, req)?.content).toMatchObject({ status: 'error', ename: 'BadRequest', execution_count: 0 });
  expect(trace(k.wire, req.header.msg_id)).toEqual(['status:busy', 'execute_reply', 'status:idle']);
});

test('an interrupt while the cell is being prepared ends it with KeyboardInterrupt before it runs', async () => {
  const k = memoryKernel({ language: 'javascript' });
  let release!: () => void;
  k.runtime.ready = new Promise<void>((r) => (release = r)); // the runner is still starting
  const cell = k.send('shell', execute('1'));
  await k.wire.waitFor((s) => s.msg.header.msg_type === 'execute_input');
  const intr = k.send('control', request('interrupt_request'));
  await k.idle(intr);
  release();
  await k.idle(cell);
  expect(replyTo(k.wire, cell)?.content).toMatchObject({ status: 'error', ename: 'KeyboardInterrupt', evalue: 'Execution interrupted' });
  expect(k.runtime.executed).toEqual([]);
  // The next cell is not affected by the earlier interrupt.
  const next = k.send('shell', execute('2'));
  await k.idle(next);
  expect(replyTo(k.wire, next)?.content).toMatchObject({ status: 'ok' });
});

test('an interrupt while the cell runs goes to the runtime; its error is the reply', async () => {
  const k = memoryKernel({ language: 'javascript' });
  k.runtime.holdUntilInterrupt();
  const cell = k.send('shell', execute('while (true) {}'));
  await k.runtime.whenExecuted(1);
  k.send('control', request('interrupt_request'));
  await k.idle(cell);
  expect(k.runtime.interrupts).toBe(1);
  expect(replyTo(k.wire, cell)?.content).toMatchObject({ status: 'error', ename: 'KeyboardInterrupt' });
});

/** A language service double: `check` reports one error for cells that mention `oops`. */
function fakeLang(opts: { warm?: boolean; check?: (code: string) => Promise<Diagnostic[]> } = {}): LanguageFeatures & { added: string[] } {
  const added: string[] = [];
  const diag: Diagnostic = { line: 1, column: 1, code: 2304, message: "Cannot find name 'oops'.", category: 'error' };
  return {
    added,
    warmUp: () => undefined,
    isWarm: () => opts.warm ?? true,
    addCell: (code) => void added.push(code),
    needsCheck: () => true,
    check: opts.check ?? (async (code) => (code.includes('oops') ? [diag] : [])),
    complete: async () => ({ matches: [], cursor_start: 0, cursor_end: 0, metadata: {} }),
    inspect: async () => ({ found: false, data: {} }),
    isComplete: async () => ({ status: 'complete' }),
    format: (diags, _code, label) => diags.map((d) => `${label}:${d.line}:${d.column} ${d.message}`).join('\n'),
    dispose: async () => undefined,
  };
}

test('typecheck warn: the cell runs, its type report follows its output and precedes the reply', async () => {
  const lang = fakeLang();
  const k = memoryKernel({ lang });
  k.runtime.script = (order) => ok(order, 'undefined');
  const req = k.send('shell', execute('oops'));
  await k.idle(req);
  expect(trace(k.wire, req.header.msg_id)).toEqual(['status:busy', 'execute_input', 'execute_result', 'stream', 'execute_reply', 'status:idle']);
  const report = k.wire.sent.find((s) => s.msg.header.msg_type === 'stream')?.msg.content;
  expect(report).toEqual({ name: 'stderr', text: "Cell [1]:1:1 Cannot find name 'oops'.\n" });
  expect(k.runtime.executed).toHaveLength(1);
  expect(lang.added).toEqual(['oops']);
});

/** A check that stays pending until the test finishes it with `finish()`. */
function slowCheck(): { check: (code: string) => Promise<Diagnostic[]>; finish: () => void; started: Promise<void> } {
  let finish = (): void => undefined;
  let started = (): void => undefined;
  const startedP = new Promise<void>((r) => (started = r));
  const diag: Diagnostic = { line: 1, column: 1, code: 2304, message: "Cannot find name 'oops'.", category: 'error' };
  const check = () => {
    started();
    return new Promise<Diagnostic[]>((r) => (finish = () => r([diag])));
  };
  return { check, finish: () => finish(), started: startedP };
}

test.each([
  ['a warm checker that ends within the hold', { warm: true, replyHoldMs: 60_000 }],
  ['a cold checker (bounded wait)', { warm: false, replyHoldMs: undefined }],
])('typecheck warn, %s: the reply waits for the report', async (_name, opts) => {
  const slow = slowCheck();
  const k = memoryKernel({ lang: fakeLang({ warm: opts.warm, check: slow.check }), replyHoldMs: opts.replyHoldMs });
  k.runtime.script = (order) => ok(order, 'undefined');
  const req = k.send('shell', execute('oops'));
  await slow.started;
  // Let the cell finish running; the reply must still be held for the report.
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  expect(replyTo(k.wire, req)).toBeUndefined();
  slow.finish();
  await k.idle(req);
  expect(trace(k.wire, req.header.msg_id)).toEqual(['status:busy', 'execute_input', 'execute_result', 'stream', 'execute_reply', 'status:idle']);
});

test('typecheck warn, warm checker still checking after the hold: the reply goes, the report before idle', async () => {
  const slow = slowCheck();
  const k = memoryKernel({ lang: fakeLang({ warm: true, check: slow.check }), replyHoldMs: 1 });
  k.runtime.script = (order) => ok(order, 'undefined');
  const req = k.send('shell', execute('oops'));
  await slow.started;
  // The reply is out while the check is still running; idle is not.
  await new Promise<void>((resolve) => {
    const poll = (): void => (replyTo(k.wire, req) ? resolve() : void setImmediate(poll));
    poll();
  });
  expect(trace(k.wire, req.header.msg_id)).toEqual(['status:busy', 'execute_input', 'execute_result', 'execute_reply']);
  slow.finish();
  await k.idle(req);
  expect(trace(k.wire, req.header.msg_id)).toEqual(['status:busy', 'execute_input', 'execute_result', 'execute_reply', 'stream', 'status:idle']);
});

test('typecheck strict: type errors block the run; %typecheck with a bad mode is a magic error', async () => {
  const k = memoryKernel({ lang: fakeLang() });
  const req = k.send('shell', execute('%typecheck strict\noops'));
  await k.idle(req);
  expect(replyTo(k.wire, req)?.content).toMatchObject({ status: 'error', ename: 'TypeError', evalue: '1 type error (strict type checking)' });
  expect(k.runtime.executed).toEqual([]);
  expect(k.interpreter.checkMode).toBe('strict');

  const bad = k.send('shell', execute('%typecheck loud'));
  await k.idle(bad);
  expect(replyTo(k.wire, bad)?.content).toMatchObject({ status: 'error', ename: 'MagicError', evalue: '%typecheck takes off, warn or strict (got "loud")' });
});
