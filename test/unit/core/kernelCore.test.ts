// KernelCore dispatch, in memory (recording messenger, fake runtime): busy/idle around every
// request, a reply for unknown types and failing handlers, shell requests in arrival order,
// control requests not held up by a pending debug_request, and stop_on_error aborting the queue.

import { KernelCore, ReplyThen } from '../../../kernel/src/core/kernel';
import type { DapRequest, DapResponse, IDebugger } from '../../../kernel/src/debugger/api';
import { failed, ok } from '../doubles/fakeRuntime';
import { memoryKernel } from '../doubles/memoryKernel';
import { recordingMessenger, replyTo, request, trace } from '../doubles/recordingMessenger';

function bareCore() {
  const { messenger, wire } = recordingMessenger();
  const stdin: string[] = [];
  const core = new KernelCore({ messenger, onStdin: (m) => stdin.push(m.header.msg_type) });
  const idle = (id: string) => wire.waitFor((s) => s.msg.header.msg_type === 'status' && s.msg.content.execution_state === 'idle' && s.msg.parent_header.msg_id === id);
  return { core, wire, stdin, idle };
}

interface Gate {
  promise: Promise<void>;
  open: () => void;
}

/** A promise with its resolve exposed. */
function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

test('a request gets busy, its reply on the same channel to the same identities, then idle', async () => {
  const k = memoryKernel();
  const req = k.send('shell', request('kernel_info_request'));
  await k.idle(req);
  expect(trace(k.wire, req.header.msg_id)).toEqual(['status:busy', 'kernel_info_reply', 'status:idle']);
  const reply = k.wire.sent.find((s) => s.msg.header.msg_type === 'kernel_info_reply');
  expect(reply?.channel).toBe('shell');
  expect(reply?.msg.identities).toEqual(req.identities);
  expect(reply?.msg.content).toMatchObject({ status: 'ok', implementation: 'tskernel', debugger: false, language_info: { name: 'typescript' } });
  // Status goes out on IOPub parented to the request.
  const busy = k.wire.sent[0];
  expect(busy.channel).toBe('iopub');
  expect(busy.msg.parent_header).toEqual(req.header);
});

test('an unknown *_request gets an error reply; an unknown non-request only busy/idle', async () => {
  const { core, wire, idle } = bareCore();
  const req = request('frobnicate_request');
  core.receive('shell', req);
  await idle(req.header.msg_id);
  expect(trace(wire, req.header.msg_id)).toEqual(['status:busy', 'frobnicate_reply', 'status:idle']);
  expect(replyTo(wire, req)?.content).toEqual({ status: 'error', ename: 'UnknownMessageType', evalue: 'tskernel does not handle frobnicate_request', traceback: [] });

  const other = request('frobnicate');
  core.receive('control', other);
  await idle(other.header.msg_id);
  expect(trace(wire, other.header.msg_id)).toEqual(['status:busy', 'status:idle']);
});

test('a handler that throws still gets an error reply, between busy and idle', async () => {
  const { core, wire, idle } = bareCore();
  core.on('history_request', async () => {
    throw new RangeError('no such session');
  });
  const req = request('history_request');
  core.receive('shell', req);
  await idle(req.header.msg_id);
  expect(trace(wire, req.header.msg_id)).toEqual(['status:busy', 'history_reply', 'status:idle']);
  expect(replyTo(wire, req)?.content).toEqual({ status: 'error', ename: 'RangeError', evalue: 'no such session', traceback: [] });
});

test('ReplyThen: the reply goes first, the idle waits for the work after it', async () => {
  const { core, wire, idle } = bareCore();
  const after = gate();
  core.on('interrupt_request', async () => new ReplyThen({ status: 'ok' as const }, after.promise));
  const req = request('interrupt_request');
  core.receive('control', req);
  await wire.waitFor((s) => s.msg.header.msg_type === 'interrupt_reply');
  expect(trace(wire, req.header.msg_id)).toEqual(['status:busy', 'interrupt_reply']);
  after.open();
  await idle(req.header.msg_id);
  expect(trace(wire, req.header.msg_id)).toEqual(['status:busy', 'interrupt_reply', 'status:idle']);
});

test('stdin messages go to the stdin handler, not the dispatch table', () => {
  const { core, wire, stdin } = bareCore();
  core.receive('stdin', request('input_reply', { value: 'x' }));
  expect(stdin).toEqual(['input_reply']);
  expect(wire.sent).toEqual([]);
});

test('executions run one at a time in arrival order; non-queued shell requests answer meanwhile', async () => {
  const k = memoryKernel({ language: 'javascript' });
  const first = gate();
  k.runtime.script = async (order) => {
    if (order.code.includes('first')) await first.promise;
    return ok(order);
  };
  const a = k.send('shell', request('execute_request', { code: '"first"' }));
  const b = k.send('shell', request('execute_request', { code: '"second"' }));
  const c = k.send('shell', request('is_complete_request', { code: 'x' }));
  await k.idle(c);
  // The second cell has not started: not even its execute_input is out.
  expect(trace(k.wire, b.header.msg_id)).toEqual([]);
  expect(k.runtime.executed.map((o) => o.source)).toEqual(['"first"']);
  first.open();
  await k.idle(b);
  expect(k.runtime.executed.map((o) => o.source)).toEqual(['"first"', '"second"']);
  const replies = k.wire.sent.filter((s) => s.msg.header.msg_type === 'execute_reply').map((s) => s.msg.parent_header.msg_id);
  expect(replies).toEqual([a.header.msg_id, b.header.msg_id]);
  expect(trace(k.wire, b.header.msg_id)).toEqual(['status:busy', 'execute_input', 'execute_reply', 'status:idle']);
});

class SlowDebugger implements IDebugger {
  readonly started: string[] = [];
  readonly gates = new Map<string, Gate>();
  private readonly starts = new Map<string, Gate>();
  /** Resolves when the debugger has been handed `command`. */
  whenStarted(command: string): Promise<void> {
    if (this.started.includes(command)) return Promise.resolve();
    const g = gate();
    this.starts.set(command, g);
    return g.promise;
  }
  handleRequest(r: DapRequest): Promise<DapResponse> {
    this.started.push(r.command);
    this.starts.get(r.command)?.open();
    const g = gate();
    this.gates.set(r.command, g);
    return g.promise.then(() => ({ seq: 1, type: 'response', request_seq: r.seq, success: true, command: r.command, body: {} }));
  }
  isStopped = () => false;
  ready = () => Promise.resolve();
  onInterrupt = () => Promise.resolve();
  runnerBusyUntil = () => 0;
  dispose = () => Promise.resolve();
}

test('control: a pending debug_request holds later debug_requests, not kernel_info or interrupt', async () => {
  const dbg = new SlowDebugger();
  const k = memoryKernel({ debugger: dbg });
  const d1 = k.send('control', request('debug_request', { seq: 1, type: 'request', command: 'stackTrace' }));
  const d2 = k.send('control', request('debug_request', { seq: 2, type: 'request', command: 'variables' }));
  const info = k.send('control', request('kernel_info_request'));
  const intr = k.send('control', request('interrupt_request'));
  await k.idle(info);
  await k.idle(intr);
  expect(replyTo(k.wire, info)?.content).toMatchObject({ status: 'ok', debugger: true });
  expect(replyTo(k.wire, intr)?.content).toEqual({ status: 'ok' });
  expect(replyTo(k.wire, d1)).toBeUndefined();
  // The second debug_request has not even started (strict order among debug_requests).
  expect(dbg.started).toEqual(['stackTrace']);
  dbg.gates.get('stackTrace')?.open();
  await dbg.whenStarted('variables');
  expect(replyTo(k.wire, d1)?.content).toMatchObject({ success: true, command: 'stackTrace', request_seq: 1 });
  expect(replyTo(k.wire, d1)?.header.msg_type).toBe('debug_reply');
  dbg.gates.get('variables')?.open();
  await k.idle(d2);
  expect(k.core.lastDebugParent).toEqual(d2.header);
});

test('debug_request without a debugger: success:false, never an exception', async () => {
  const k = memoryKernel();
  const req = k.send('control', request('debug_request', { seq: 7, type: 'request', command: 'initialize' }));
  await k.idle(req);
  expect(replyTo(k.wire, req)?.content).toEqual({
    seq: 0,
    type: 'response',
    request_seq: 7,
    command: 'initialize',
    success: false,
    message: 'the debugger is not available in this kernel',
    body: {},
  });
});

test('stop_on_error: a failing cell aborts the executions queued behind it, not other requests', async () => {
  const k = memoryKernel({ language: 'javascript' });
  const first = gate();
  k.runtime.script = async (order) => {
    if (order.code.includes('bad')) {
      await first.promise;
      return failed(order, 'Error', 'bad cell');
    }
    return ok(order);
  };
  const bad = k.send('shell', request('execute_request', { code: '"bad"' }));
  const q1 = k.send('shell', request('execute_request', { code: '1' }));
  const comm = k.send('shell', request('comm_msg', { comm_id: 'c1', data: {} }));
  const q2 = k.send('shell', request('execute_request', { code: '2' }));
  first.open();
  await k.idle(q2);
  await k.idle(comm);
  expect(replyTo(k.wire, bad)?.content).toMatchObject({ status: 'error', ename: 'Error', evalue: 'bad cell', execution_count: 1 });
  for (const q of [q1, q2]) {
    expect(trace(k.wire, q.header.msg_id)).toEqual(['status:busy', 'execute_reply', 'status:idle']);
    expect(replyTo(k.wire, q)?.content).toEqual({ status: 'aborted', execution_count: null });
  }
  // Only the failing cell ran; the queued comm message was still delivered.
  expect(k.runtime.executed.map((o) => o.source)).toEqual(['"bad"']);
  expect(k.runtime.sent).toEqual([expect.objectContaining({ type: 'comm_msg', comm_id: 'c1' })]);
  // The count stays where the failing cell left it.
  const next = k.send('shell', request('execute_request', { code: '3' }));
  await k.idle(next);
  expect(replyTo(k.wire, next)?.content).toMatchObject({ status: 'ok', execution_count: 2 });
});

test('stop_on_error false: a failing cell does not abort the queue', async () => {
  const k = memoryKernel({ language: 'javascript' });
  k.runtime.script = (order) => (order.code.includes('bad') ? failed(order) : ok(order));
  k.send('shell', request('execute_request', { code: '"bad"', stop_on_error: false }));
  const after = k.send('shell', request('execute_request', { code: '1' }));
  await k.idle(after);
  expect(replyTo(k.wire, after)?.content).toMatchObject({ status: 'ok', execution_count: 2 });
});

test("input: the runner asks through the sink, input_request goes to the cell's frontend, input_reply answers", async () => {
  const k = memoryKernel({ language: 'javascript' });
  let answer: Promise<string> | undefined;
  k.runtime.script = async (order, sink) => {
    answer = sink.inputRequest(order.id, 'name? ', false);
    const value = await answer;
    sink.stream(order.id, 'stdout', `hello ${value}\n`);
    return ok(order);
  };
  const cell = k.send('shell', request('execute_request', { code: 'input()' }, 'session-A'));
  const ask = await k.wire.waitFor((s) => s.msg.header.msg_type === 'input_request');
  expect(ask.channel).toBe('stdin');
  expect(ask.msg.identities).toEqual(cell.identities);
  expect(ask.msg.content).toEqual({ prompt: 'name? ', password: false });
  k.send('stdin', request('input_reply', { value: 'Ada' }, 'session-A'));
  await k.idle(cell);
  const out = k.wire.sent.find((s) => s.msg.header.msg_type === 'stream');
  expect(out?.msg.content).toEqual({ name: 'stdout', text: 'hello Ada\n' });
  expect(out?.msg.parent_header).toEqual(cell.header);
});

test('an interrupt fails a pending input request', async () => {
  const k = memoryKernel({ language: 'javascript' });
  k.runtime.script = async (order, sink) => {
    const r = await sink.inputRequest(order.id, '', false).then(
      () => 'answered',
      (e: Error) => e.message,
    );
    sink.stream(order.id, 'stderr', r);
    return ok(order);
  };
  const cell = k.send('shell', request('execute_request', { code: 'input()' }));
  await k.wire.waitFor((s) => s.msg.header.msg_type === 'input_request');
  k.send('control', request('interrupt_request'));
  await k.idle(cell);
  expect(k.wire.sent.find((s) => s.msg.header.msg_type === 'stream')?.msg.content).toEqual({ name: 'stderr', text: 'interrupted' });
});
