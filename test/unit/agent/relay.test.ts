// The relay's keepalive (agent/relay.ts), over a real loopback socket and a real inspector
// session: armed by the kernel's first Agent.ping, silence then ends the link with a reason and
// releases the session; steady pings keep it; a kernel that never pings, or a relay without the
// option (the runner's agent), is never timed out.

import * as inspector from 'node:inspector';
import * as net from 'node:net';
import { encodeFrame, FrameDecoder } from '../../../kernel/src/link/framing';
import { AGENT_PING } from '../../../kernel/src/link/protocol';
import { runRelay } from '../../../kernel/src/agent/relay';

const TIMEOUT_MS = 300;

interface Pair {
  /** The kernel's end. */
  kernel: net.Socket;
  /** Everything the relay sent, decoded. */
  received: unknown[];
  closed: Promise<string>;
  isClosed(): boolean;
}

const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

async function relayPair(keepaliveTimeoutMs?: number): Promise<Pair> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const kernel = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  const agentSide = await accepted;
  server.close();
  const session = new inspector.Session();
  session.connect();
  let isClosed = false;
  const closed = new Promise<string>((resolve) => {
    runRelay(agentSide, session, {
      hello: { method: 'Agent.hello', params: { pid: process.pid, node: process.version, hiddenPaths: [] } },
      log: () => undefined,
      onClose: (reason) => ((isClosed = true), resolve(reason)),
      keepaliveTimeoutMs,
    });
  });
  const received: unknown[] = [];
  const decoder = new FrameDecoder();
  kernel.on('data', (d: Buffer) => received.push(...decoder.push(d)));
  kernel.on('error', () => undefined);
  cleanup.push(() => kernel.destroy());
  return { kernel, received, closed, isClosed: () => isClosed };
}

/** The reason, if the link closed within `ms` (used where it must not). */
function closedWithin(p: Pair, ms: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.closed, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]).finally(() => clearTimeout(timer));
}

const ping = (p: Pair): boolean => p.kernel.write(encodeFrame({ method: AGENT_PING }));

test('after the first ping, silence ends the link with a keepalive reason', async () => {
  const p = await relayPair(TIMEOUT_MS);
  ping(p);
  const t0 = Date.now();
  expect(await closedWithin(p, TIMEOUT_MS + 1500)).toMatch(/no word from the kernel for 0\.3 s \(keepalive\)/);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
  // The hello went out; the ping itself was never relayed to the inspector as a command.
  expect(p.received).toEqual([expect.objectContaining({ method: 'Agent.hello' })]);
});

test('steady pings keep the link; commands still flow; stopping them ends it', async () => {
  const p = await relayPair(TIMEOUT_MS);
  const timer = setInterval(() => ping(p), TIMEOUT_MS / 4);
  cleanup.push(() => clearInterval(timer));
  ping(p);
  expect(await closedWithin(p, TIMEOUT_MS * 4)).toBeUndefined();
  p.kernel.write(encodeFrame({ id: 1, method: 'Runtime.evaluate', params: { expression: '6 * 7', returnByValue: true } }));
  const deadline = Date.now() + 5000;
  while (!p.received.some((m) => (m as { id?: number }).id === 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(p.received).toContainEqual({ id: 1, result: { result: { type: 'number', value: 42, description: '42' } } });
  clearInterval(timer);
  expect(await closedWithin(p, TIMEOUT_MS + 1500)).toMatch(/keepalive/);
});

test('a kernel that never pings is never timed out', async () => {
  const p = await relayPair(TIMEOUT_MS);
  expect(await closedWithin(p, TIMEOUT_MS * 4)).toBeUndefined();
  p.kernel.end();
  expect(await closedWithin(p, 5000)).toMatch(/closed the link|link closed/);
});

test('without keepaliveTimeoutMs (the runner agent) pings arm nothing', async () => {
  const p = await relayPair(undefined);
  ping(p);
  expect(await closedWithin(p, TIMEOUT_MS * 4)).toBeUndefined();
  expect(p.isClosed()).toBe(false);
});
