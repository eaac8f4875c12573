// The attach link's mutual authentication, as two pure state machines (no sockets, so unit tests
// drive them directly). Both sides know the token's 256-bit secret; neither ever sends it.
//   agent  → kernel  hello     {v, id, nonce_a}
//   kernel → agent   challenge {nonce_k}                     (token consumed here: single use)
//   agent  → kernel  proof     {mac_a, info}                 mac_a = HMAC(secret, "agent"  | id | nonce_a | nonce_k | ekm)
//   kernel → agent   welcome   {mac_k}  or  reject {reason}  mac_k = HMAC(secret, "kernel" | id | nonce_a | nonce_k | ekm)
// `ekm` is TLS exported keying material, so a proof relayed from another TLS session is worthless;
// the role label stops a reflected proof. MACs are compared with crypto.timingSafeEqual.

import * as crypto from 'node:crypto';
import type { AttachToken, ConsumeResult } from './token';

export const HANDSHAKE_VERSION = 1;
/** Frames before authentication are tiny; anything bigger is hostile. */
export const HANDSHAKE_MAX_FRAME_BYTES = 4096;
export const HANDSHAKE_TIMEOUT_MS = 10_000;
export const EKM_LABEL = 'EXPORTER-tskernel-attach-v1';
export const EKM_BYTES = 32;
const NONCE_BYTES = 32;

/** What the agent says about its process. Untrusted: the kernel only displays it. */
export interface AgentInfo {
  pid: number;
  node: string;
  title: string;
  argv: string[];
}

export type HandshakeFrame =
  | { t: 'hello'; v: number; id: string; nonce: string }
  | { t: 'challenge'; nonce: string }
  | { t: 'proof'; mac: string; info: AgentInfo }
  | { t: 'welcome'; mac: string }
  | { t: 'reject'; reason: string };

export type HandshakeResult = { ok: true; tokenId: string; info: AgentInfo } | { ok: false; reason: string };

export interface HandshakeStep {
  send?: HandshakeFrame;
  /** Set once the handshake is over, either way. */
  done?: HandshakeResult;
}

export function computeMac(role: 'agent' | 'kernel', secret: Buffer, id: string, nonceA: Buffer, nonceK: Buffer, ekm: Buffer): Buffer {
  const h = crypto.createHmac('sha256', secret);
  h.update(`tskernel-attach-v${HANDSHAKE_VERSION}\0${role}\0${id}\0`, 'utf8');
  for (const part of [nonceA, nonceK, ekm]) h.update(part);
  return h.digest();
}

export function macEquals(expected: Buffer, got: Buffer): boolean {
  return expected.length === got.length && crypto.timingSafeEqual(expected, got);
}

function b64(value: unknown, bytes: number): Buffer | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  const buf = Buffer.from(value, 'base64url');
  return buf.length === bytes ? buf : undefined;
}

/** Printable, length-capped text from an untrusted peer. */
export function cleanText(value: unknown, max: number): string {
  const s = typeof value === 'string' ? value : '';
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').slice(0, max);
}

function sanitizeInfo(raw: unknown): AgentInfo {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const pid = typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0 ? o.pid : 0;
  const argv = Array.isArray(o.argv) ? o.argv.slice(0, 16).map((a) => cleanText(a, 256)) : [];
  return { pid, node: cleanText(o.node, 32), title: cleanText(o.title, 128), argv };
}

function frameType(frame: unknown): string | undefined {
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return undefined;
  const t = (frame as { t?: unknown }).t;
  return typeof t === 'string' ? t : undefined;
}

function fail(reason: string, tellPeer = true): HandshakeStep {
  return { send: tellPeer ? { t: 'reject', reason } : undefined, done: { ok: false, reason } };
}

/** Kernel side: expects hello, then proof. */
export class KernelHandshake {
  private state: 'hello' | 'proof' | 'done' = 'hello';
  private id = '';
  private secret: Buffer = Buffer.alloc(0);
  private nonceA: Buffer = Buffer.alloc(0);
  private readonly nonceK = crypto.randomBytes(NONCE_BYTES);

  constructor(
    private readonly consume: (id: string) => ConsumeResult,
    private readonly ekm: Buffer,
  ) {}

  /** The token id the agent presented (empty before its hello). */
  get tokenId(): string {
    return this.id;
  }

  onFrame(frame: unknown): HandshakeStep {
    const t = frameType(frame);
    const f = frame as Record<string, unknown>;
    if (this.state === 'hello') {
      if (t !== 'hello') return this.finish(fail(`expected a hello frame, got ${t ? `"${cleanText(t, 32)}"` : 'something else'}`));
      if (f.v !== HANDSHAKE_VERSION) return this.finish(fail(`unsupported agent protocol version ${cleanText(String(f.v), 16)}`));
      const nonceA = b64(f.nonce, NONCE_BYTES);
      if (typeof f.id !== 'string' || !b64(f.id, 16) || !nonceA) return this.finish(fail('malformed hello frame'));
      this.id = f.id;
      const consumed = this.consume(f.id);
      if (!consumed.ok) return this.finish(fail(consumed.reason));
      this.secret = consumed.secret;
      this.nonceA = nonceA;
      this.state = 'proof';
      return { send: { t: 'challenge', nonce: this.nonceK.toString('base64url') } };
    }
    if (this.state === 'proof') {
      if (t !== 'proof') return this.finish(fail(`expected a proof frame, got ${t ? `"${cleanText(t, 32)}"` : 'something else'}`));
      const mac = b64(f.mac, 32);
      const expected = computeMac('agent', this.secret, this.id, this.nonceA, this.nonceK, this.ekm);
      if (!mac || !macEquals(expected, mac)) {
        return this.finish(fail("authentication failed: the agent did not prove the token's secret (wrong or forged token)"));
      }
      const mine = computeMac('kernel', this.secret, this.id, this.nonceA, this.nonceK, this.ekm);
      return this.finish({ send: { t: 'welcome', mac: mine.toString('base64url') }, done: { ok: true, tokenId: this.id, info: sanitizeInfo(f.info) } });
    }
    return fail('handshake already finished', false);
  }

  private finish(step: HandshakeStep): HandshakeStep {
    this.state = 'done';
    this.secret = Buffer.alloc(0);
    return step;
  }
}

/** Agent side: sends hello, answers the challenge, checks the kernel's proof. */
export class AgentHandshake {
  private state: 'challenge' | 'welcome' | 'done' = 'challenge';
  private readonly nonceA = crypto.randomBytes(NONCE_BYTES);
  private nonceK: Buffer = Buffer.alloc(0);

  constructor(
    private readonly token: AttachToken,
    private readonly ekm: Buffer,
    private readonly info: AgentInfo,
  ) {}

  start(): HandshakeFrame {
    return { t: 'hello', v: HANDSHAKE_VERSION, id: this.token.id, nonce: this.nonceA.toString('base64url') };
  }

  onFrame(frame: unknown): HandshakeStep {
    const t = frameType(frame);
    const f = frame as Record<string, unknown>;
    if (t === 'reject') return this.finish(fail(`rejected by the kernel: ${cleanText(f.reason, 300)}`, false));
    if (this.state === 'challenge') {
      const nonceK = t === 'challenge' ? b64(f.nonce, NONCE_BYTES) : undefined;
      if (!nonceK) return this.finish(fail('malformed challenge from the kernel'));
      this.nonceK = nonceK;
      this.state = 'welcome';
      const mac = computeMac('agent', this.token.secret, this.token.id, this.nonceA, nonceK, this.ekm);
      return { send: { t: 'proof', mac: mac.toString('base64url'), info: this.info } };
    }
    if (this.state === 'welcome') {
      const mac = t === 'welcome' ? b64(f.mac, 32) : undefined;
      const expected = computeMac('kernel', this.token.secret, this.token.id, this.nonceA, this.nonceK, this.ekm);
      if (!mac || !macEquals(expected, mac)) return this.finish(fail('the kernel did not prove the secret (not the listener that issued this token)', false));
      return this.finish({ done: { ok: true, tokenId: this.token.id, info: this.info } });
    }
    return fail('handshake already finished', false);
  }

  private finish(step: HandshakeStep): HandshakeStep {
    this.state = 'done';
    return step;
  }
}
