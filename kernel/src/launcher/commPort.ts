// The launcher's "comm port" (Gateway Provisioners' GP_COMM channel, server_listener.py upstream):
// the gateway connects, writes one JSON object and closes its side —
//   {"signum": N}   send signal N to the kernel (0: the gateway's liveness poll, every few seconds;
//                   2: interrupt; 15: terminate; 9: kill)
//   {"shutdown": 1} the kernel is being shut down: stop listening (the gateway then sees the port
//                   refused and takes the kernel as gone).
// Like upstream it is unauthenticated: whoever reaches the port can signal the kernel, so it binds
// where the kernel's ports bind (--ip), and what arrives is parsed defensively: size-capped, a
// 5 s read timeout, malformed requests dropped with a log line.

import type * as net from 'node:net';
import { logger } from '../common/log';

const log = logger('cli');

/** Requests are a few bytes; anything bigger is not from a gateway. */
const MAX_REQUEST_BYTES = 4096;
const READ_TIMEOUT_MS = 5000;

export type CommRequest = { signum?: number; shutdown?: boolean };

/** One request's text into what it asks; undefined when it is not a request. */
export function parseCommRequest(text: string): CommRequest | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const out: CommRequest = {};
  if ('signum' in raw && raw.signum !== null && raw.signum !== undefined) {
    const n = Number(raw.signum);
    // Linux signal numbers (0 is the existence check); upstream passes int(signum) to os.kill.
    if (!Number.isInteger(n) || n < 0 || n > 64) return undefined;
    out.signum = n;
  }
  if ('shutdown' in raw && raw.shutdown !== null && raw.shutdown !== undefined) out.shutdown = Boolean(raw.shutdown);
  return out.signum === undefined && out.shutdown === undefined ? undefined : out;
}

export interface CommHandlers {
  signal(signum: number): void;
  shutdown(): void;
}

/** Serves requests on an already-listening server until shutdown (then the server is closed). */
export function serveCommPort(server: net.Server, handlers: CommHandlers): void {
  server.on('connection', (sock) => {
    const chunks: Buffer[] = [];
    let size = 0;
    sock.setTimeout(READ_TIMEOUT_MS, () => sock.destroy());
    sock.on('error', () => undefined);
    sock.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_REQUEST_BYTES) {
        log.warn(`comm port: request from ${sock.remoteAddress} over ${MAX_REQUEST_BYTES} bytes, dropped`);
        sock.destroy();
        return;
      }
      chunks.push(d);
    });
    sock.on('end', () => {
      sock.end();
      if (size === 0 || size > MAX_REQUEST_BYTES) return;
      const text = Buffer.concat(chunks).toString('utf8');
      const request = parseCommRequest(text);
      if (!request) {
        log.warn(`comm port: not a request from ${sock.remoteAddress}: ${JSON.stringify(text.slice(0, 200))}`);
        return;
      }
      if (request.signum !== undefined) {
        if (request.signum !== 0) log.info(`comm port: signal ${request.signum}`);
        handlers.signal(request.signum);
      }
      if (request.shutdown) {
        log.info('comm port: shutdown requested, no longer listening');
        server.close();
        handlers.shutdown();
      }
    });
  });
}
