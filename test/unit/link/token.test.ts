// Attach tokens: encode/parse round trip, strict parsing, single use and expiry in the store.

import * as crypto from 'node:crypto';
import { encodeToken, parseToken, TokenError, TokenStore, TOKEN_PREFIX } from '../../../kernel/src/link/token';

const fp = crypto.randomBytes(32);

describe('attach token', () => {
  it('round-trips through encode/parse', () => {
    const store = new TokenStore();
    const t = store.issue('127.0.0.1', 4242, fp, 60_000);
    const text = encodeToken(t);
    expect(text.startsWith(TOKEN_PREFIX)).toBe(true);
    const back = parseToken(`  ${text}\n`);
    expect(back.host).toBe('127.0.0.1');
    expect(back.port).toBe(4242);
    expect(back.fingerprint.equals(fp)).toBe(true);
    expect(back.secret.equals(t.secret)).toBe(true);
    expect(back.id).toBe(t.id);
    expect(back.expiresAt).toBe(t.expiresAt);
    expect(t.secret.length).toBe(32);
  });

  it.each([
    ['', /must start with/],
    ['tsk2.abc', /must start with/],
    ['tsk1.!!!', /not base64url/],
    [TOKEN_PREFIX + Buffer.from('not json').toString('base64url'), /corrupted/],
    [TOKEN_PREFIX + Buffer.from('[1]').toString('base64url'), /not an object/],
    [TOKEN_PREFIX + 'x'.repeat(2000), /too long/],
  ])('rejects %j', (text, message) => {
    expect(() => parseToken(text)).toThrow(message);
  });

  it('rejects tampered fields with a reason', () => {
    const t = new TokenStore().issue('127.0.0.1', 1, fp, 1000);
    const json = JSON.parse(Buffer.from(encodeToken(t).slice(5), 'base64url').toString()) as Record<string, unknown>;
    const bad = (patch: Record<string, unknown>): string => TOKEN_PREFIX + Buffer.from(JSON.stringify({ ...json, ...patch })).toString('base64url');
    expect(() => parseToken(bad({ v: 2 }))).toThrow(/unsupported version/);
    expect(() => parseToken(bad({ p: 70000 }))).toThrow(/bad port/);
    expect(() => parseToken(bad({ h: 'evil host' }))).toThrow(/bad host/);
    expect(() => parseToken(bad({ s: 'abc' }))).toThrow(/secret must be 32 bytes/);
    expect(() => parseToken(bad({ fp: 42 }))).toThrow(TokenError);
  });
});

describe('TokenStore', () => {
  it('consumes a token exactly once', () => {
    const store = new TokenStore();
    const t = store.issue('127.0.0.1', 1, fp, 60_000);
    const first = store.consume(t.id);
    expect(first.ok).toBe(true);
    expect(first.ok && first.secret.equals(t.secret)).toBe(true);
    const second = store.consume(t.id);
    expect(second).toEqual({ ok: false, reason: expect.stringMatching(/already used/) });
  });

  it('rejects unknown ids and expired tokens (which are burnt by the attempt)', () => {
    let now = 1_000_000;
    const store = new TokenStore(() => now);
    expect(store.consume('nope')).toEqual({ ok: false, reason: expect.stringMatching(/unknown attach token/) });
    const t = store.issue('127.0.0.1', 1, fp, 5_000);
    now += 6_000;
    expect(store.consume(t.id)).toEqual({ ok: false, reason: expect.stringMatching(/expired/) });
    expect(store.consume(t.id)).toEqual({ ok: false, reason: expect.stringMatching(/already used/) });
  });

  it('revokes everything', () => {
    const store = new TokenStore();
    const t = store.issue('127.0.0.1', 1, fp, 60_000);
    store.revokeAll();
    expect(store.consume(t.id).ok).toBe(false);
  });
});
