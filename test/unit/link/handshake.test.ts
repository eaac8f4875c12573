// The mutual HMAC handshake as pure state machines: success, wrong secret, reuse, relay to
// another TLS session (different keying material), reflection, malformed and out-of-order frames.

import * as crypto from 'node:crypto';
import { AgentHandshake, computeMac, KernelHandshake, type AgentInfo, type HandshakeFrame, type HandshakeResult } from '../../../kernel/src/link/handshake';
import { TokenStore, type AttachToken } from '../../../kernel/src/link/token';

const info: AgentInfo = { pid: 123, node: 'v20', title: 'app.js', argv: ['app.js'] };

function setup(): { store: TokenStore; token: AttachToken; ekm: Buffer } {
  const store = new TokenStore();
  const token = store.issue('127.0.0.1', 1, crypto.randomBytes(32), 60_000);
  return { store, token, ekm: crypto.randomBytes(32) };
}

/** Runs both machines against each other; returns both results. */
function run(agent: AgentHandshake, kernel: KernelHandshake): { agent?: HandshakeResult; kernel?: HandshakeResult } {
  const out: { agent?: HandshakeResult; kernel?: HandshakeResult } = {};
  let toKernel: HandshakeFrame | undefined = agent.start();
  for (let i = 0; i < 5 && toKernel; i++) {
    const k = kernel.onFrame(JSON.parse(JSON.stringify(toKernel)));
    if (k.done) out.kernel = k.done;
    if (!k.send) break;
    const a = agent.onFrame(JSON.parse(JSON.stringify(k.send)));
    if (a.done) out.agent = a.done;
    toKernel = a.send;
  }
  return out;
}

describe('attach handshake', () => {
  it('authenticates both sides with the shared secret', () => {
    const { store, token, ekm } = setup();
    const r = run(new AgentHandshake(token, ekm, info), new KernelHandshake((id) => store.consume(id), ekm));
    expect(r.kernel).toEqual({ ok: true, tokenId: token.id, info });
    expect(r.agent).toEqual({ ok: true, tokenId: token.id, info });
  });

  it('rejects a wrong secret with a clear reason, and the agent learns why', () => {
    const { store, token, ekm } = setup();
    const forged = { ...token, secret: crypto.randomBytes(32) };
    const r = run(new AgentHandshake(forged, ekm, info), new KernelHandshake((id) => store.consume(id), ekm));
    expect(r.kernel).toEqual({ ok: false, reason: expect.stringMatching(/authentication failed/) });
    expect(r.agent).toEqual({ ok: false, reason: expect.stringMatching(/rejected by the kernel: authentication failed/) });
  });

  it('refuses a reused token', () => {
    const { store, token, ekm } = setup();
    expect(run(new AgentHandshake(token, ekm, info), new KernelHandshake((id) => store.consume(id), ekm)).kernel?.ok).toBe(true);
    const again = run(new AgentHandshake(token, ekm, info), new KernelHandshake((id) => store.consume(id), ekm));
    expect(again.kernel).toEqual({ ok: false, reason: expect.stringMatching(/already used/) });
    expect(again.agent?.ok).toBe(false);
  });

  it('fails when the two sides see different TLS sessions (relayed handshake)', () => {
    const { store, token } = setup();
    const r = run(new AgentHandshake(token, crypto.randomBytes(32), info), new KernelHandshake((id) => store.consume(id), crypto.randomBytes(32)));
    expect(r.kernel?.ok).toBe(false);
  });

  it('does not accept the kernel-role MAC as the agent proof (reflection)', () => {
    const { store, token, ekm } = setup();
    const kernel = new KernelHandshake((id) => store.consume(id), ekm);
    const nonceA = crypto.randomBytes(32);
    const challenge = kernel.onFrame({ t: 'hello', v: 1, id: token.id, nonce: nonceA.toString('base64url') }).send;
    expect(challenge?.t).toBe('challenge');
    const nonceK = Buffer.from((challenge as { nonce: string }).nonce, 'base64url');
    const reflected = computeMac('kernel', token.secret, token.id, nonceA, nonceK, ekm);
    expect(kernel.onFrame({ t: 'proof', mac: reflected.toString('base64url'), info }).done?.ok).toBe(false);
  });

  it('agent refuses a kernel that cannot prove the secret', () => {
    const { token, ekm } = setup();
    const agent = new AgentHandshake(token, ekm, info);
    agent.start();
    expect(agent.onFrame({ t: 'challenge', nonce: crypto.randomBytes(32).toString('base64url') }).send?.t).toBe('proof');
    const done = agent.onFrame({ t: 'welcome', mac: crypto.randomBytes(32).toString('base64url') }).done;
    expect(done).toEqual({ ok: false, reason: expect.stringMatching(/did not prove the secret/) });
  });

  it.each([
    [{ t: 'proof', mac: 'x', info: {} }, /expected a hello frame/],
    [{ t: 'hello', v: 9, id: 'a', nonce: 'b' }, /unsupported agent protocol version/],
    [{ t: 'hello', v: 1, id: 'short', nonce: 'short' }, /malformed hello/],
    [[1, 2, 3], /expected a hello frame/],
    [null, /expected a hello frame/],
  ])('kernel rejects hostile first frame %j', (frame, reason) => {
    const { store, ekm } = setup();
    const step = new KernelHandshake((id) => store.consume(id), ekm).onFrame(frame);
    expect(step.done).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    expect(step.send?.t).toBe('reject');
  });

  it('sanitizes untrusted agent info', () => {
    const { store, token, ekm } = setup();
    const hostile = { pid: -1, node: 'v'.repeat(500), title: 'a\u001b[31mred', argv: Array(100).fill('x') };
    const r = run(new AgentHandshake(token, ekm, hostile), new KernelHandshake((id) => store.consume(id), ekm));
    expect(r.kernel?.ok).toBe(true);
    const got = (r.kernel as { info: AgentInfo }).info;
    expect(got.pid).toBe(0);
    expect(got.node.length).toBe(32);
    expect(got.title).toBe('a?[31mred');
    expect(got.argv.length).toBe(16);
  });
});
