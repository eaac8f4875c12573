// Attach tokens: what `%listen` prints and the target's agent consumes. A token is
// `tsk1.` + base64url(JSON {v, h, p, fp, id, s, exp}): where to dial (host, port), the pinned
// certificate's SHA-256 fingerprint, a public token id, a 256-bit single-use secret and an expiry.
// Parsing is strict (the token may be pasted by hand); the store enforces single use and expiry.

import * as crypto from 'node:crypto';

export const TOKEN_PREFIX = 'tsk1.';
const SECRET_BYTES = 32;
const ID_BYTES = 16;
const MAX_TOKEN_CHARS = 1024;

export interface AttachToken {
  host: string;
  port: number;
  /** SHA-256 of the listener's DER certificate. */
  fingerprint: Buffer;
  /** Public identifier the listener uses to find the secret (base64url, 16 bytes). */
  id: string;
  secret: Buffer;
  /** Expiry, epoch milliseconds. */
  expiresAt: number;
}

interface TokenJson {
  v: 1;
  h: string;
  p: number;
  fp: string;
  id: string;
  s: string;
  exp: number;
}

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

const B64URL = /^[A-Za-z0-9_-]+$/;

function decodeB64url(value: unknown, bytes: number, what: string): Buffer {
  if (typeof value !== 'string' || !B64URL.test(value)) throw new TokenError(`attach token: ${what} is not base64url`);
  const buf = Buffer.from(value, 'base64url');
  if (buf.length !== bytes) throw new TokenError(`attach token: ${what} must be ${bytes} bytes, got ${buf.length}`);
  return buf;
}

export function encodeToken(t: AttachToken): string {
  const json: TokenJson = {
    v: 1,
    h: t.host,
    p: t.port,
    fp: t.fingerprint.toString('base64url'),
    id: t.id,
    s: t.secret.toString('base64url'),
    exp: Math.floor(t.expiresAt / 1000),
  };
  return TOKEN_PREFIX + Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
}

/** Parses and shape-checks a token; throws TokenError with a readable reason. Does not check expiry. */
export function parseToken(text: string): AttachToken {
  const trimmed = text.trim();
  if (trimmed.length > MAX_TOKEN_CHARS) throw new TokenError('attach token: too long');
  if (!trimmed.startsWith(TOKEN_PREFIX)) throw new TokenError(`attach token: must start with "${TOKEN_PREFIX}"`);
  const body = trimmed.slice(TOKEN_PREFIX.length);
  if (!B64URL.test(body)) throw new TokenError('attach token: not base64url');
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new TokenError('attach token: corrupted (not JSON); copy it again from the notebook');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new TokenError('attach token: not an object');
  const j = raw as Partial<Record<keyof TokenJson, unknown>>;
  if (j.v !== 1) throw new TokenError(`attach token: unsupported version ${String(j.v)}`);
  if (typeof j.h !== 'string' || j.h.length === 0 || j.h.length > 253 || !/^[A-Za-z0-9.:_%[\]-]+$/.test(j.h)) {
    throw new TokenError('attach token: bad host');
  }
  if (typeof j.p !== 'number' || !Number.isInteger(j.p) || j.p < 1 || j.p > 65535) throw new TokenError('attach token: bad port');
  if (typeof j.exp !== 'number' || !Number.isInteger(j.exp) || j.exp <= 0) throw new TokenError('attach token: bad expiry');
  const id = decodeB64url(j.id, ID_BYTES, 'id').toString('base64url');
  return {
    host: j.h,
    port: j.p,
    fingerprint: decodeB64url(j.fp, 32, 'fingerprint'),
    id,
    secret: decodeB64url(j.s, SECRET_BYTES, 'secret'),
    expiresAt: j.exp * 1000,
  };
}

export type ConsumeResult = { ok: true; secret: Buffer } | { ok: false; reason: string };

interface StoredToken {
  secret: Buffer;
  expiresAt: number;
  used: boolean;
}

/** The listener's outstanding tokens: issue, then consume exactly once before expiry. */
export class TokenStore {
  private readonly tokens = new Map<string, StoredToken>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(host: string, port: number, fingerprint: Buffer, ttlMs: number): AttachToken {
    this.prune();
    const token: AttachToken = {
      host,
      port,
      fingerprint,
      id: crypto.randomBytes(ID_BYTES).toString('base64url'),
      secret: crypto.randomBytes(SECRET_BYTES),
      // Whole seconds in the token; round down so the store never outlives what the token says.
      expiresAt: Math.floor((this.now() + ttlMs) / 1000) * 1000,
    };
    this.tokens.set(token.id, { secret: token.secret, expiresAt: token.expiresAt, used: false });
    return token;
  }

  /** Marks the token used on the first attempt, successful or not: a token is never tried twice. */
  consume(id: string): ConsumeResult {
    const t = this.tokens.get(id);
    if (!t) return { ok: false, reason: 'unknown attach token (not issued by this listener; was the kernel restarted?)' };
    if (t.used) return { ok: false, reason: 'attach token already used (tokens are single-use; run %listen for a new one)' };
    t.used = true;
    if (this.now() >= t.expiresAt) {
      return { ok: false, reason: `attach token expired at ${new Date(t.expiresAt).toISOString()} (run %listen for a new one)` };
    }
    return { ok: true, secret: t.secret };
  }

  revokeAll(): void {
    this.tokens.clear();
  }

  get size(): number {
    return this.tokens.size;
  }

  /** Forget used or expired tokens older than an hour (their ids still answer "unknown" after that). */
  private prune(): void {
    const cutoff = this.now() - 3600_000;
    for (const [id, t] of this.tokens) if (t.expiresAt < cutoff) this.tokens.delete(id);
  }
}
