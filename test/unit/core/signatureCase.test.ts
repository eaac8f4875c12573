// Replay protection against re-cased signature hex (hex decoding ignores case, the replay cache
// must not), and the parsing of TSKERNEL_MAX_MESSAGE_BYTES.

import { decode, encode } from '../../../kernel/src/wire/frames';
import { DEFAULT_MAX_MESSAGE_BYTES, maxMessageBytes } from '../../../kernel/src/wire/limits';
import { Signer } from '../../../kernel/src/wire/signature';
import type { Message } from '../../../kernel/src/wire/messages';

const msg = (): Message => ({
  identities: [],
  header: { msg_id: 'm1', session: 's', username: 'u', date: '2026-01-01T00:00:00Z', msg_type: 'execute_request', version: '5.5' },
  parent_header: {},
  metadata: {},
  content: { code: '1' },
  buffers: [],
});

const withSig = (frames: Buffer[], sig: string): Buffer[] => [frames[0], Buffer.from(sig), ...frames.slice(2)];

test('a replay with re-cased hex is rejected, whichever casing comes first', () => {
  const frames = encode(msg(), new Signer('key'));
  const sig = frames[1].toString();
  expect(sig).toMatch(/^[0-9a-f]{64}$/);
  const verifier = new Signer('key');
  expect(() => decode(frames, verifier)).not.toThrow();
  for (const variant of [sig.toUpperCase(), sig.replace(/[a-f]/, (c) => c.toUpperCase())]) {
    expect(variant).not.toBe(sig);
    expect(() => decode(withSig(frames, variant), verifier)).toThrow(/bad signature/);
  }
  expect(() => decode(frames, verifier)).toThrow(/duplicate signature/);
  // An uppercase signature is refused even on first sight (the spec writes lowercase hexdigest).
  expect(() => decode(withSig(frames, sig.toUpperCase()), new Signer('key'))).toThrow(/bad signature/);
});

test('signatures of the wrong shape are refused before hashing', () => {
  const frames = encode(msg(), new Signer('key'));
  const v = new Signer('key');
  for (const bad of ['zz'.repeat(32), 'ab'.repeat(31), 'ab'.repeat(33), ` ${frames[1].toString().slice(1)}`]) {
    expect(() => decode(withSig(frames, bad), v)).toThrow(/bad signature/);
  }
  expect(() => decode(frames, v)).not.toThrow();
});

test('TSKERNEL_MAX_MESSAGE_BYTES: bytes, K/M/G suffixes, none, and a fallback for nonsense', () => {
  const parse = (v?: string) => maxMessageBytes(v === undefined ? {} : { TSKERNEL_MAX_MESSAGE_BYTES: v });
  expect(parse()).toBe(DEFAULT_MAX_MESSAGE_BYTES);
  expect(DEFAULT_MAX_MESSAGE_BYTES).toBe(256 * 1024 * 1024);
  expect(parse('1048576')).toBe(1048576);
  expect(parse('1M')).toBe(1048576);
  expect(parse('64k')).toBe(65536);
  expect(parse('2GiB')).toBe(2 * 1024 ** 3);
  expect(parse('none')).toBe(-1);
  expect(parse('-1')).toBe(-1);
  for (const junk of ['abc', '0', '100', '1.5M', '']) expect(parse(junk)).toBe(DEFAULT_MAX_MESSAGE_BYTES);
});
