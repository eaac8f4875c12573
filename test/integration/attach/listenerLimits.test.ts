// The attach listener under idle-connection floods: 200 idle TCP connections, or idle TLS
// connections that never authenticate, do not keep a real agent (a Node process started with the
// agent preloaded) out; idle connections are closed after the short pre-auth deadline with a
// reason; one peer cannot hold more than its share of unauthenticated slots.
jest.setTimeout(60000);

import * as net from 'node:net';
import { AttachListener, type Rejection } from '../../../kernel/src/attach/listener';
import { closed, dialTls, REGISTER_JS, startTarget } from './attachHelpers';

function openTcp(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

async function realAgentAttaches(listener: AttachListener): Promise<number> {
  const { token, id } = listener.issueToken();
  const waiting = listener.waitForAgent(id, 20000);
  const t0 = Date.now();
  const target = await startTarget(['--import', REGISTER_JS], { TSKERNEL_ATTACH_TOKEN: token });
  try {
    const agent = await waiting;
    expect(agent.info.pid).toBe(target.child.pid);
    expect(await target.get()).toMatch(/^ok /);
    agent.link.close();
    return Date.now() - t0;
  } finally {
    await target.kill();
  }
}

describe('attach listener limits', () => {
  let listener: AttachListener;
  const rejections: Rejection[] = [];
  beforeEach(async () => {
    rejections.length = 0;
    listener = await AttachListener.listen();
    listener.onRejected((r) => rejections.push(r));
  });
  afterEach(() => listener.close());

  it('200 idle TCP connections do not keep a real agent out', async () => {
    const idle: net.Socket[] = [];
    for (let i = 0; i < 200; i++) {
      const s = await openTcp(listener.port);
      s.on('error', () => undefined);
      idle.push(s);
    }
    const ms = await realAgentAttaches(listener);
    console.log(`real agent attached in ${ms} ms after 200 idle TCP connections`);
    // All but the last few from this peer were closed to make room, each with a reason.
    expect(rejections.filter((r) => /too many unauthenticated connections from 127\.0\.0\.1 \(limit 4\)/.test(r.reason)).length).toBeGreaterThanOrEqual(196);
    expect(idle.filter((s) => !s.destroyed && s.readyState === 'open').length).toBeLessThanOrEqual(4);
    for (const s of idle) s.destroy();
  });

  it('idle TLS connections that never authenticate do not keep a real agent out, and are closed after the deadline', async () => {
    const { token } = listener.issueToken();
    // The listener reports a TLS connection's rejection once its handshake has ended, which can be
    // a moment after this side saw the socket close: wait for the report (bounded).
    let timer: NodeJS.Timeout | undefined;
    const deadlineReported = new Promise<boolean>((resolve) => {
      const off = listener.onRejected((r) => {
        if (!/not authenticated within 3000 ms/.test(r.reason)) return;
        off();
        resolve(true);
      });
      timer = setTimeout(() => resolve(false), 15000);
    });
    const idle = await Promise.all(Array.from({ length: 30 }, () => dialTls(token)));
    for (const s of idle) s.on('error', () => undefined);
    await realAgentAttaches(listener);
    // Whatever is still open is closed by the pre-auth deadline (3 s), with that reason.
    const t0 = Date.now();
    await Promise.all(idle.map((s) => closed(s, 10000)));
    expect(Date.now() - t0).toBeLessThan(6000);
    expect(await deadlineReported).toBe(true);
    clearTimeout(timer);
    expect(rejections.every((r) => !/agent was rejected|token/.test(r.reason))).toBe(true);
  });

  it('one peer cannot fill the global slots: another peer address still gets through', async () => {
    // 127.0.0.2 is loopback too, but another peer address for the listener's per-peer count.
    const small = await AttachListener.listen({ host: '0.0.0.0', allowNonLoopback: true, advertiseHost: '127.0.0.1', maxPendingHandshakes: 6 });
    try {
      const fromLocal: net.Socket[] = [];
      for (let i = 0; i < 10; i++) fromLocal.push((await openTcp(small.port)).on('error', () => undefined));
      const other = await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect({ port: small.port, host: '127.0.0.1', localAddress: '127.0.0.2' }, () => resolve(s));
        s.once('error', reject);
      });
      other.on('error', () => undefined);
      expect(fromLocal.filter((s) => !s.destroyed && s.readyState === 'open').length).toBeLessThanOrEqual(4);
      await realAgentAttaches(small);
      // The other peer's connection was never the one evicted to make room.
      expect(other.destroyed).toBe(false);
      fromLocal.forEach((s) => s.destroy());
      other.destroy();
    } finally {
      await small.close();
    }
  });
});
