// HMAC signing and verification of Jupyter messages (hmac-sha256 over header, parent_header,
// metadata, content frames), constant-time comparison, and replay rejection of signatures
// already seen. An empty key disables signing, as the spec allows.
//
// Only the lowercase hex the spec writes (hexdigest) is accepted, like ipykernel: hex decoding
// ignores letter case, so a replay cache keyed by the raw string could be bypassed by re-casing a
// captured signature. The shape is checked before any hashing, so garbage costs no HMAC.

import { createHmac, timingSafeEqual } from 'node:crypto';

const MAX_REMEMBERED = 1 << 16;
/** hmac-sha256 hexdigest: exactly 64 lowercase hex digits. */
const SIGNATURE_SHAPE = /^[0-9a-f]{64}$/;

export class Signer {
  private readonly seen = new Set<string>();
  private readonly order: string[] = [];

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
    if (this.seen.has(signature)) return 'duplicate signature (replayed message)';
    this.remember(signature);
    return undefined;
  }

  private remember(sig: string): void {
    this.seen.add(sig);
    this.order.push(sig);
    if (this.order.length > MAX_REMEMBERED) {
      const drop = this.order.splice(0, this.order.length >> 1);
      for (const d of drop) this.seen.delete(d);
    }
  }
}
