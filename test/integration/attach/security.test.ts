// Attach security: wrong token, reused token, plain TCP, old TLS, wrong certificate, oversized and
// malformed frames before and after authentication, hostile messages, output floods from a fake
// and from a real target. Each is rejected with a clear reason, the listener keeps authenticating
// good agents, and real targets keep serving HTTP.
jest.setTimeout(60000);

import * as net from 'node:net';
import { AttachListener } from '../../../kernel/src/attach/listener';
import { encodeToken, parseToken } from '../../../kernel/src/link/token';
import { CdpClient } from '../../../kernel/src/targets/cdpClient';
import { closed, dialTls, fakeAgent, frame, listenerStillWorks, nextRejection, REGISTER_JS, startTarget } from './attachHelpers';

function tamper(token: string, patch: (t: ReturnType<typeof parseToken>) => void): string {
  const t = parseToken(token);
  patch(t);
  return encodeToken(t);
}

describe('attach security', () => {
  let listener: AttachListener;
  beforeAll(async () => {
    listener = await AttachListener.listen();
  });
  afterEach(() => listenerStillWorks(listener));
  afterAll(() => listener.close());

  it('rejects a wrong token secret; the target keeps running', async () => {
    const { token } = listener.issueToken();
    const wrong = tamper(token, (t) => (t.secret = Buffer.alloc(32, 7)));
    const rejection = nextRejection(listener);
    const target = await startTarget(['--import', REGISTER_JS], { TSKERNEL_ATTACH_TOKEN: wrong });
    try {
      expect((await rejection).reason).toMatch(/authentication failed: the agent did not prove the token's secret/);
      await target.waitForStderr(/attach failed: rejected by the kernel: authentication failed.*the program continues/);
      expect(await target.get()).toMatch(/^ok /);
    } finally {
      await target.kill();
    }
  });

  it('rejects a reused token; both targets keep running', async () => {
    const { token, id } = listener.issueToken();
    const first = listener.waitForAgent(id, 15000);
    const a = await startTarget(['--require', REGISTER_JS], { TSKERNEL_ATTACH_TOKEN: token });
    const agent = await first;
    const rejection = nextRejection(listener);
    const b = await startTarget(['--require', REGISTER_JS], { TSKERNEL_ATTACH_TOKEN: token });
    try {
      expect((await rejection).reason).toMatch(/attach token already used/);
      await b.waitForStderr(/attach failed: rejected by the kernel: attach token already used/);
      expect(await b.get()).toMatch(/^ok /);
      expect(await a.get()).toMatch(/^ok /);
      agent.link.close();
    } finally {
      await Promise.all([a.kill(), b.kill()]);
    }
  });

  it('rejects plain TCP', async () => {
    const rejection = nextRejection(listener);
    const s = net.connect(listener.port, '127.0.0.1', () => s.write(frame(JSON.stringify({ t: 'hello', v: 1, id: 'x', nonce: 'y' }))));
    s.on('error', () => undefined);
    expect((await rejection).reason).toMatch(/not a TLS connection \(plain TCP\?\)/);
    await closed(s);
  });

  it('rejects TLS below 1.3', async () => {
    const { token } = listener.issueToken();
    const rejection = nextRejection(listener);
    await expect(dialTls(token, 'TLSv1.2')).rejects.toThrow();
    expect((await rejection).reason).toMatch(/TLS version refused: only TLS 1\.3|TLS handshake failed/);
  });

  it('agent refuses a listener whose certificate does not match the token; target keeps running', async () => {
    const { token, id } = listener.issueToken();
    const wrong = tamper(token, (t) => (t.fingerprint = Buffer.alloc(32, 1)));
    const target = await startTarget(['--import', REGISTER_JS], { TSKERNEL_ATTACH_TOKEN: wrong });
    try {
      await target.waitForStderr(/attach failed: certificate fingerprint mismatch: the token pins 0101010101010101…/);
      expect(await target.get()).toMatch(/^ok /);
      // Nothing was sent to the impostor-checked listener: the real token is still unused.
      const waiting = listener.waitForAgent(id, 10000);
      expect((await fakeAgent(token)).result.ok).toBe(true);
      (await waiting).link.close();
    } finally {
      await target.kill();
    }
  });

  it.each([
    ['oversized', (): Buffer => Buffer.from([0x00, 0x10, 0x00, 0x00]), /frame of 1048576 bytes exceeds the 4096-byte handshake limit/],
    ['malformed', (): Buffer => frame('{"t":"hello",'), /malformed frame/],
    ['non-handshake', (): Buffer => frame('{"id":1,"method":"Runtime.evaluate"}'), /expected a hello frame/],
  ])('rejects a %s frame before authentication', async (_name, bytes, reason) => {
    const { token } = listener.issueToken();
    const s = await dialTls(token);
    const rejection = nextRejection(listener);
    s.write(bytes());
    expect((await rejection).reason).toMatch(reason);
    await closed(s);
  });

  async function authenticated(): Promise<{ socket: Awaited<ReturnType<typeof fakeAgent>>['socket']; link: import('../../../kernel/src/targets/agentLink').AgentLink }> {
    const { token, id } = listener.issueToken();
    const waiting = listener.waitForAgent(id, 10000);
    const { socket, result } = await fakeAgent(token);
    expect(result.ok).toBe(true);
    socket.on('error', () => undefined);
    return { socket, link: (await waiting).link };
  }

  it.each([
    ['oversized', (): Buffer => Buffer.from([0x10, 0x00, 0x00, 0x00]), /bad frame \(frame of 268435456 bytes exceeds the 67108864-byte limit\)/],
    ['malformed', (): Buffer => frame('{"method":'), /bad frame \(malformed frame/],
    ['hostile', (): Buffer => Buffer.concat(Array.from({ length: 150 }, () => frame('[1,2,3]'))), /sent 101 invalid messages/],
  ])('drops the link on a %s frame after authentication', async (_name, bytes, reason) => {
    const { socket, link } = await authenticated();
    const gone = new Promise<void>((r) => link.onClose(r));
    socket.write(bytes());
    await gone;
    expect(link.closeReason).toMatch(reason);
    await closed(socket);
  });

  it('throttles an output flood from a hostile agent', async () => {
    const small = await AttachListener.listen({
      linkLimits: { maxFrameBytes: 1 << 20, maxInboundBytesPerSecond: 2 << 20, maxOutputBytesPerSecond: 64 << 10, maxInvalidMessages: 100 },
    });
    try {
      const { token, id } = small.issueToken();
      const waiting = small.waitForAgent(id, 10000);
      const { socket } = await fakeAgent(token);
      const link = (await waiting).link;
      let forwarded = 0;
      link.onOutput((o) => (forwarded += o.text.length));
      const chunk = frame(JSON.stringify({ method: 'Agent.output', params: { stream: 'stdout', text: 'x'.repeat(64 << 10) } }));
      const t0 = Date.now();
      const total = 96; // 6 MiB
      for (let i = 0; i < total; i++) socket.write(chunk);
      const marker = new Promise<void>((r) => link.onMessage((m) => (m as { method?: string }).method === 'Flood.done' && r()));
      socket.write(frame('{"method":"Flood.done","params":{}}'));
      // While the link is throttled the kernel stays responsive: other agents still authenticate.
      await listenerStillWorks(small);
      await marker;
      const seconds = (Date.now() - t0) / 1000;
      expect(seconds).toBeGreaterThan(1); // 6 MiB at 2 MiB/s: the socket really was paused
      expect(forwarded).toBeLessThanOrEqual((64 << 10) * (Math.ceil(seconds) + 1));
      expect(link.droppedOutput).toBeGreaterThan(0);
      expect(link.isClosed).toBe(false);
      link.close();
      socket.destroy();
    } finally {
      await small.close();
    }
  });

  it('bounds the output of a real target that floods stdout; CDP and HTTP keep working', async () => {
    const { token, id } = listener.issueToken();
    const waiting = listener.waitForAgent(id, 15000);
    const target = await startTarget(['--import', REGISTER_JS], { TSKERNEL_ATTACH_TOKEN: token });
    try {
      const agent = await waiting;
      let forwarded = 0;
      agent.link.onOutput((o) => (forwarded += o.text.length));
      const cdp = new CdpClient(agent.link);
      const t0 = Date.now();
      // ~8 MB in 80k writes, synchronously on the target's main thread.
      await cdp.send('Runtime.evaluate', { expression: `for (let i = 0; i < 80000; i++) process.stdout.write('y'.repeat(99) + '\\n'); 'done'` });
      const r = await cdp.send('Runtime.evaluate', { expression: 'answer' });
      expect(r.result.value).toBe(42);
      expect(await target.get()).toMatch(/^ok /);
      const seconds = (Date.now() - t0) / 1000;
      // The agent forwards at most 128 KiB per second window (plus the window in progress).
      expect(forwarded).toBeLessThanOrEqual(128 * 1024 * (Math.ceil(seconds) + 2));
      expect(agent.link.isClosed).toBe(false);
      agent.link.close();
    } finally {
      await target.kill();
    }
  });
});
