// Port selection for a launched kernel, as server_listener.py does it: random ports from the
// gateway's port range (any free port for 0..0), each found by binding, retried up to
// MAX_PORT_RANGE_RETRIES (default 5) times. The kernel's five ports are released again before the
// kernel binds them (the upstream launcher has the same short window); the comm port is kept.

import * as net from 'node:net';

export interface PortRange {
  lower: number;
  upper: number;
}

function candidate(range: PortRange): number {
  if (range.upper - range.lower === 0) return 0;
  return range.lower + Math.floor(Math.random() * (range.upper - range.lower + 1));
}

function listenOnce(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Listens `server` on a port from the range, retrying busy candidates; resolves with the port. */
export async function listenInRange(server: net.Server, host: string, range: PortRange, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const retries = Number(env.MAX_PORT_RANGE_RETRIES ?? '5');
  for (let attempt = 0; ; attempt++) {
    try {
      await listenOnce(server, host, candidate(range));
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('not a TCP server');
      return address.port;
    } catch (e) {
      if (attempt >= retries) throw new Error(`Failed to locate port within range ${range.lower}..${range.upper} after ${retries} retries! (${(e as Error).message})`, { cause: e });
    }
  }
}

/** `count` distinct free ports from the range on `host`, all released again. */
export async function selectPorts(count: number, host: string, range: PortRange, env: NodeJS.ProcessEnv = process.env): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const s = net.createServer();
      servers.push(s);
      ports.push(await listenInRange(s, host, range, env));
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => (s.listening ? s.close(() => r()) : r()))));
  }
}
