// The reply type map: a handler's return type is checked against its message type's reply
// (KernelMessage content types), and the core sends exactly what the handler returned under the
// reply's msg_type. The @ts-expect-error lines are compile-time assertions (`tsc -p test`): each
// fails to compile if the map stops rejecting the wrong content.

import { KernelCore, ReplyThen } from '../../../kernel/src/core/kernel';
import type { ReplyMap } from '../../../kernel/src/core/protocol';
import { recordingMessenger, replyTo, request } from '../doubles/recordingMessenger';

function core() {
  const { messenger, wire } = recordingMessenger();
  return { core: new KernelCore({ messenger, onStdin: () => undefined }), wire };
}

test("each request type sends its handler's content under the matching reply type", async () => {
  const { core: c, wire } = core();
  c.on('is_complete_request', async () => ({ status: 'incomplete', indent: '  ' }));
  c.on('comm_info_request', async () => ({ status: 'ok', comms: { a: { target_name: 't' } } }));
  c.on('interrupt_request', async () => new ReplyThen({ status: 'ok' as const }, Promise.resolve()));
  const a = request('is_complete_request', { code: 'if (x) {' });
  const b = request('comm_info_request');
  const i = request('interrupt_request');
  c.receive('shell', a);
  c.receive('shell', b);
  c.receive('control', i);
  await wire.waitFor((s) => s.msg.header.msg_type === 'interrupt_reply');
  await wire.waitFor((s) => s.msg.header.msg_type === 'comm_info_reply');
  expect(replyTo(wire, a)?.header.msg_type).toBe('is_complete_reply');
  expect(replyTo(wire, a)?.content).toEqual({ status: 'incomplete', indent: '  ' });
  expect(replyTo(wire, b)?.content).toEqual({ status: 'ok', comms: { a: { target_name: 't' } } });
  expect(wire.sent.find((s) => s.msg.header.msg_type === 'interrupt_reply')?.channel).toBe('control');
});

test('wrong reply content does not compile', () => {
  const { core: c } = core();
  // @ts-expect-error is_complete_reply has no status 'maybe'
  c.on('is_complete_request', async () => ({ status: 'maybe' }));
  // @ts-expect-error an incomplete is_complete_reply needs its indent
  c.on('is_complete_request', async () => ({ status: 'incomplete' }));
  // @ts-expect-error complete_reply needs matches and cursor positions
  c.on('complete_request', async () => ({ status: 'ok' }));
  // @ts-expect-error comm messages have no reply
  c.on('comm_msg', async () => ({ status: 'ok' }));
  // @ts-expect-error not a message type the kernel handles
  c.on('frobnicate_request', async () => undefined);
  const aborted: ReplyMap['execute_request'] = { status: 'aborted', execution_count: null };
  // @ts-expect-error an ok execute_reply needs its execution_count
  const missingCount: ReplyMap['execute_request'] = { status: 'ok', user_expressions: {} };
  expect([aborted, missingCount]).toHaveLength(2);
});
