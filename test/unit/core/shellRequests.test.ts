// complete / inspect / is_complete / comm messages / shutdown through the in-memory kernel: what
// each reply says when there is no language service (runtime answers only), and the shape checks.

import { memoryKernel } from '../doubles/memoryKernel';
import { replyTo, request, trace } from '../doubles/recordingMessenger';

test('complete without a language service: runtime members after a dot, cursor in code points', async () => {
  const k = memoryKernel({ language: 'javascript' });
  const asked: string[] = [];
  k.runtime.members = async (expr) => {
    asked.push(expr);
    return ['length', 'lastIndexOf', 'map'];
  };
  // "🚀" is one code point but two UTF-16 units: Jupyter cursors count code points.
  const code = '"🚀"; s.l';
  const req = k.send('shell', request('complete_request', { code, cursor_pos: [...code].length }));
  await k.idle(req);
  expect(asked).toEqual(['s']);
  expect(replyTo(k.wire, req)?.content).toEqual({ status: 'ok', matches: ['length', 'lastIndexOf'], cursor_start: 7, cursor_end: 8, metadata: {} });
});

test('inspect shows the runtime value preview; a bad cursor is a BadRequest', async () => {
  const k = memoryKernel({ language: 'javascript' });
  k.runtime.preview = async (expr) => (expr === 'answer' ? '42' : null);
  const req = k.send('shell', request('inspect_request', { code: 'answer', cursor_pos: 3, detail_level: 0 }));
  await k.idle(req);
  expect(replyTo(k.wire, req)?.content).toMatchObject({ status: 'ok', found: true, data: { 'text/plain': 'Value: 42' } });
  const bad = k.send('shell', request('inspect_request', { code: 'x', cursor_pos: -1 }));
  await k.idle(bad);
  expect(replyTo(k.wire, bad)?.content).toMatchObject({ status: 'error', ename: 'BadRequest', evalue: "inspect_request: 'cursor_pos' must be a non-negative integer (got -1)" });
});

test('is_complete without a language service is unknown; a non-string code is a BadRequest', async () => {
  const k = memoryKernel();
  const a = k.send('shell', request('is_complete_request', { code: 'if (x) {' }));
  const b = k.send('shell', request('is_complete_request', { code: ['x'] }));
  await k.idle(b);
  expect(replyTo(k.wire, a)?.content).toEqual({ status: 'unknown' });
  expect(replyTo(k.wire, b)?.content).toMatchObject({ status: 'error', ename: 'BadRequest' });
});

test('comm messages go to the runtime with a routing id and get no reply', async () => {
  const k = memoryKernel();
  const open = k.send('shell', request('comm_open', { comm_id: 'c1', target_name: 'widgets', data: { a: 1 } }));
  await k.idle(open);
  expect(trace(k.wire, open.header.msg_id)).toEqual(['status:busy', 'status:idle']);
  expect(k.runtime.sent).toEqual([{ type: 'comm_open', comm_id: 'c1', target_name: 'widgets', data: { a: 1 }, metadata: {}, cell: expect.any(Number) }]);
  // Output the runtime later sends for that id is parented to the comm_open.
  const cell = k.runtime.sent[0].cell;
  k.runtime.sink?.comm(cell, { type: 'comm_msg', cell, comm_id: 'c1', data: { b: 2 }, metadata: {} });
  const out = k.wire.sent.find((s) => s.channel === 'iopub' && s.msg.header.msg_type === 'comm_msg');
  expect(out?.msg.parent_header).toEqual(open.header);
  expect(out?.msg.content).toEqual({ comm_id: 'c1', data: { b: 2 }, metadata: {} });
});

test('shutdown: reply on its channel and on IOPub, idle, then the app shuts down', async () => {
  const k = memoryKernel();
  const req = k.send('control', request('shutdown_request', { restart: false }));
  await k.idle(req);
  expect(trace(k.wire, req.header.msg_id)).toEqual(['status:busy', 'shutdown_reply', 'shutdown_reply', 'status:idle']);
  expect(replyTo(k.wire, req)?.content).toEqual({ status: 'ok', restart: false });
  expect(k.shutdowns()).toBe(1);
});
