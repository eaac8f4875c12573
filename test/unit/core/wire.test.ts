// Framing and HMAC: round trips, constant-time verification, replay and tamper rejection.

import { createHmac } from 'node:crypto';
import { decode, encode, WireFrameError } from '../../../kernel/src/wire/frames';
import { Signer } from '../../../kernel/src/wire/signature';
import type { Message } from '../../../kernel/src/wire/messages';

const msg = (): Message => ({
  identities: [Buffer.from('id1')],
  header: { msg_id: 'm1', session: 's', username: 'u', date: '2026-01-01T00:00:00Z', msg_type: 'execute_request', version: '5.5' },
  parent_header: {},
  metadata: {},
  content: { code: 'é ✓ 🚀' },
  buffers: [Buffer.from([0, 1, 2])],
});

test('encode then decode gives the same message, buffers raw', () => {
  const s = new Signer('key');
  const frames = encode(msg(), s);
  const back = decode(frames, new Signer('key'));
  expect(back.header).toEqual(msg().header);
  expect(back.content).toEqual({ code: 'é ✓ 🚀' });
  expect(back.identities.map(String)).toEqual(['id1']);
  expect(back.buffers[0]).toEqual(Buffer.from([0, 1, 2]));
});

test('the signature is HMAC-SHA256 over header, parent, metadata, content', () => {
  const frames = encode(msg(), new Signer('key'));
  const expected = createHmac('sha256', 'key').update(frames[3]).update(frames[4]).update(frames[5]).update(frames[6]).digest('hex');
  expect(frames[2].toString()).toBe(expected);
});

test('bad, missing and replayed signatures are rejected', () => {
  const frames = encode(msg(), new Signer('key'));
  const verifier = new Signer('key');
  const bad = [...frames];
  bad[2] = Buffer.from('ab'.repeat(32));
  expect(() => decode(bad, verifier)).toThrow(/bad signature/);
  const none = [...frames];
  none[2] = Buffer.from('');
  expect(() => decode(none, verifier)).toThrow(/missing signature/);
  expect(() => decode(frames, verifier)).not.toThrow();
  expect(() => decode(frames, verifier)).toThrow(/duplicate signature/);
});

test('replays are rejected for the last 65,536 signatures; older ones are forgotten (as ipykernel)', () => {
  const signer = new Signer('key');
  const verifier = new Signer('key');
  const framesOf = (i: number): Buffer[] => encode({ ...msg(), header: { ...msg().header, msg_id: `m${i}` } }, signer);
  const first = framesOf(0);
  expect(() => decode(first, verifier)).not.toThrow();
  const recent: Buffer[][] = [];
  for (let i = 1; i <= 1 << 16; i++) {
    const frames = framesOf(i);
    decode(frames, verifier);
    if (i > (1 << 16) - 3) recent.push(frames);
  }
  // 65,537 remembered: the older half went, the first message among them.
  expect(() => decode(first, verifier)).not.toThrow();
  for (const frames of recent) expect(() => decode(frames, verifier)).toThrow(/duplicate signature/);
});

test('tampered content fails verification', () => {
  const frames = encode(msg(), new Signer('key'));
  frames[6] = Buffer.from('{"code":"evil"}');
  expect(() => decode(frames, new Signer('key'))).toThrow(WireFrameError);
});

test('malformed frames are reported, not thrown as crashes', () => {
  const s = new Signer('');
  expect(() => decode([Buffer.from('x')], s)).toThrow(/delimiter/);
  expect(() => decode([Buffer.from('<IDS|MSG>'), Buffer.from('')], s)).toThrow(/expected at least 5 frames/);
  expect(() => decode([Buffer.from('<IDS|MSG>'), Buffer.from(''), Buffer.from('{'), Buffer.from('{}'), Buffer.from('{}'), Buffer.from('{}')], s)).toThrow(/not valid JSON/);
  expect(() => decode([Buffer.from('<IDS|MSG>'), Buffer.from(''), Buffer.from('[]'), Buffer.from('{}'), Buffer.from('{}'), Buffer.from('{}')], s)).toThrow(/not a JSON object/);
  expect(() => decode([Buffer.from('<IDS|MSG>'), Buffer.from(''), Buffer.from('{}'), Buffer.from('{}'), Buffer.from('{}'), Buffer.from('{}')], s)).toThrow(/msg_type/);
});

test('an empty key disables signing', () => {
  const frames = encode(msg(), new Signer(''));
  expect(frames[2].toString()).toBe('');
  expect(decode(frames, new Signer('')).header.msg_id).toBe('m1');
});
