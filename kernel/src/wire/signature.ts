// HMAC signing and verification of Jupyter messages (hmac-sha256 over header, parent_header,
// metadata, content frames), constant-time comparison, and replay rejection of signatures
// already seen. An empty key disables signing, as the spec allows.
//
// Only the lowercase hex the spec writes (hexdigest) is accepted, like ipykernel: hex decoding
// ignores letter case, so a replay cache keyed by the raw string could be bypassed by re-casing a
// captured signature. The shape is checked before any hashing, so garbage costs no HMAC.
//
// The replay cache remembers the last 65,536 signatures (ipykernel's digest history size) by
// their first 52 bits, as numbers: ~45 bytes each instead of ~190 for the hex string in a Set
// and a list (the kernel's largest per-request heap cost; ~10 MB once full). A fresh signature
// matches one of the remembered prefixes by chance with probability 2^16 / 2^52 (about 1e-11).

import { createHmac, timingSafeEqual } from 'node:crypto';

const MAX_REMEMBERED = 1 << 16;
/** Hex digits of a signature the replay cache keeps: 52 bits, exact in a double. */
const REMEMBERED_HEX_DIGITS = 13;
/** hmac-sha256 hexdigest: exactly 64 lowercase hex digits. */
const SIGNATURE_SHAPE = /^[0-9a-f]{64}$/;

export class Signer {
  private readonly seen = new Set<number>();
  /** Remembered prefixes, oldest first (a list of doubles: 8 bytes each). */
  private order: number[] = [];

  constructor(
    private readonly key: string,
    scheme = 'hmac-sha256',
  ) {
    if (key && scheme !== 'hmac-sha256') throw new Error(`unsupported signature scheme ${scheme}`);
  }

  get enabled(): boolean {
    return this.key.length > 0;
  }

  sign(parts: Buffer[]): string {
    if (!this.enabled) return '';
    const h = createHmac('sha256', this.key);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  }

  /** Checks a received signature: returns an error string, or undefined when it is valid. */
  verify(signature: string, parts: Buffer[]): string | undefined {
    if (!this.enabled) return undefined;
    if (!signature) return 'missing signature';
    if (!SIGNATURE_SHAPE.test(signature)) return 'bad signature (not 64 lowercase hex digits)';
    const got = Buffer.from(signature, 'hex');
    const expected = Buffer.from(this.sign(parts), 'hex');
    if (!timingSafeEqual(got, expected)) return 'bad signature';
    const prefix = parseInt(signature.slice(0, REMEMBERED_HEX_DIGITS), 16);
    if (this.seen.has(prefix)) return 'duplicate signature (replayed message)';
    this.remember(prefix);
    return undefined;
  }

  private remember(prefix: number): void {
    this.seen.add(prefix);
    this.order.push(prefix);
    if (this.order.length > MAX_REMEMBERED) {
      const half = this.order.length >> 1;
      for (let i = 0; i < half; i++) this.seen.delete(this.order[i]);
      this.order = this.order.slice(half);
    }
  }
}
