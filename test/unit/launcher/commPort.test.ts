// The launcher's comm port over real loopback sockets, spoken to the way Gateway Provisioners'
// _send_listener_request does: connect, send one JSON object, close the write side.

import * as net from 'node:net';
import { parseCommRequest, serveCommPort } from '../../../kernel/src/launcher/commPort';

function send(port: number, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.end(text));
    s.on('error', reject);
    s.on('close', () => resolve());
  });
}

async function listening(): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, r));
  return { server, port: (server.address() as net.AddressInfo).port };
}

test('requests as the gateway sends them', () => {
  expect(parseCommRequest('{"signum": 2}')).toEqual({ signum: 2 });
  expect(parseCommRequest('{"signum": 0}')).toEqual({ signum: 0 });
  expect(parseCommRequest('{"shutdown": 1}')).toEqual({ shutdown: true });
  expect(parseCommRequest('{"signum": "15"}')).toEqual({ signum: 15 }); // upstream: int(signum)
});

test('anything else is not a request', () => {
  for (const bad of ['', 'x', '[]', 'null', '{}', '{"signum": -1}', '{"signum": 1.5}', '{"signum": 99}', '{"signum": "TERM"}', '{"other": 1}']) {
    expect(parseCommRequest(bad)).toBeUndefined();
  }
});

test('signals reach the handler; shutdown stops the listener, so the gateway sees it refused', async () => {
  const { server, port } = await listening();
  const signals: number[] = [];
  let shutdowns = 0;
  const gotSignal = new Promise<void>((resolve) =>
    serveCommPort(server, {
      signal: (n) => {
        signals.push(n);
        if (n === 2) resolve();
      },
      shutdown: () => shutdowns++,
    }),
  );
  await send(port, '{"signum": 0}');
  await send(port, 'not json');
  await send(port, JSON.stringify({ signum: 2 }));
  await gotSignal;
  expect(signals).toEqual([0, 2]);

  const closed = new Promise<void>((r) => server.once('close', r));
  await send(port, '{"shutdown": 1}');
  await closed;
  expect(shutdowns).toBe(1);
  await expect(send(port, '{"signum": 2}')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  expect(signals).toEqual([0, 2]);
});

test('an oversized request is dropped without reaching the handler', async () => {
  const { server, port } = await listening();
  const signals: number[] = [];
  serveCommPort(server, { signal: (n) => signals.push(n), shutdown: () => undefined });
  await send(port, `{"signum": 2, "pad": "${'x'.repeat(10_000)}"}`).catch(() => undefined); // reset mid-send is fine
  await send(port, '{"signum": 0}');
  expect(signals).toEqual([0]);
  await new Promise<void>((r) => server.close(() => r()));
});
