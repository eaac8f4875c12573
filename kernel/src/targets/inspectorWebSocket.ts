// Attach by port: a Node process started with `--inspect[=host:port]`. Lists its targets with
// `GET /json/list`, then opens the inspector WebSocket (the `ws` package) as an ITransport for
// CdpClient. Loopback only unless the caller opts in (then a warning names the risk). The
// WebSocket URL is rebuilt from the host and port we were given, so a hostile /json/list cannot
// send us elsewhere, and everything the endpoint returns is size-capped and shape-checked.

import * as http from 'node:http';
import WebSocket from 'ws';
import { logger } from '../common/log';
import { BaseTransport } from './transport';
import type { InspectorEndpoint } from '../attach/requests';

export type { InspectorEndpoint };
import { inspectorRiskWarning, isLoopbackHost, NonLoopbackError } from '../attach/loopback';

const log = logger('targets');
const MAX_LIST_BYTES = 1024 * 1024;
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

function str(v: unknown, max = 2048): string {
  return typeof v === 'string' ? v.slice(0, max) : '';
}

/** GET /json/list (no keep-alive: a pooled socket would hold `inspector.close()` up); rejects with ECONNREFUSED when nothing listens. */
export function listInspectorTargets(host: string, port: number, timeoutMs = 2000): Promise<InspectorEndpoint[]> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: '/json/list', timeout: timeoutMs, agent: false, headers: { Host: `${isLoopbackHost(host) ? 'localhost' : host}:${port}` } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`${host}:${port}/json/list answered HTTP ${res.statusCode}: not a Node inspector?`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_LIST_BYTES) req.destroy(new Error(`${host}:${port}/json/list is larger than ${MAX_LIST_BYTES} bytes`));
        else chunks.push(c);
      });
      res.on('end', () => {
        let raw: unknown;
        try {
          raw = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return reject(new Error(`${host}:${port}/json/list is not JSON: not a Node inspector?`));
        }
        if (!Array.isArray(raw)) return reject(new Error(`${host}:${port}/json/list is not a list`));
        const out: InspectorEndpoint[] = [];
        for (const item of raw.slice(0, 64)) {
          const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
          const wsUrl = str(o.webSocketDebuggerUrl);
          const m = /^wss?:\/\/[^/]+(\/[A-Za-z0-9._~/-]*)$/.exec(wsUrl);
          if (!m) continue;
          const wsHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
          out.push({ id: str(o.id, 128), title: str(o.title, 256), url: str(o.url), webSocketDebuggerUrl: `ws://${wsHost}:${port}${m[1]}` });
        }
        resolve(out);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${host}:${port}/json/list timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** ITransport over an open inspector WebSocket (JSON text messages). */
export class WebSocketTransport extends BaseTransport {
  constructor(private readonly ws: WebSocket) {
    super();
    ws.on('message', (data: WebSocket.RawData) => {
      let msg: unknown;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        log.warn('inspector sent a non-JSON message; ignored');
        return;
      }
      this.deliver(msg);
    });
    ws.on('close', () => this.markClosed());
    ws.on('error', (e) => {
      log.warn(`inspector WebSocket error: ${e.message}`);
      this.markClosed();
    });
  }

  send(message: object): void {
    if (!this.closed && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  close(): void {
    this.ws.close();
    this.markClosed();
  }

  /** Resolves true once the other side has closed the socket, false after `timeoutMs` (the socket is left open). */
  closedByPeer(timeoutMs: number): Promise<boolean> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onClose = (): void => (clearTimeout(timer), resolve(true));
      const timer = setTimeout(() => (this.ws.off('close', onClose), resolve(false)), timeoutMs);
      this.ws.once('close', onClose);
    });
  }

  /** Resolves once the socket is fully closed (the inspector counts it as gone). */
  closedFully(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      if (this.ws.readyState === WebSocket.OPEN) this.ws.close();
    });
  }
}

export interface ConnectInspectorOptions {
  host?: string;
  port: number;
  allowNonLoopback?: boolean;
  /** Pick this target id from /json/list (default: the first one). */
  targetId?: string;
  timeoutMs?: number;
}

export interface InspectorConnection {
  transport: WebSocketTransport;
  endpoint: InspectorEndpoint;
  /** Present when the host is not loopback: show it to the user. */
  warning?: string;
}

export async function connectInspector(options: ConnectInspectorOptions): Promise<InspectorConnection> {
  const host = options.host ?? '127.0.0.1';
  const timeoutMs = options.timeoutMs ?? 5000;
  const loopback = isLoopbackHost(host);
  if (!loopback && !options.allowNonLoopback) throw new NonLoopbackError('attaching to an inspector', host);
  let list: InspectorEndpoint[];
  try {
    list = await listInspectorTargets(host, options.port, timeoutMs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED') throw new Error(`no inspector on ${host}:${options.port} (connection refused): start the process with --inspect=${options.port}`, { cause: e });
    throw e;
  }
  const endpoint = options.targetId ? list.find((t) => t.id === options.targetId) : list[0];
  if (!endpoint) throw new Error(`${host}:${options.port} lists no debuggable target${options.targetId ? ` with id ${options.targetId}` : ''}`);
  const ws = new WebSocket(endpoint.webSocketDebuggerUrl, { perMessageDeflate: false, maxPayload: MAX_MESSAGE_BYTES, handshakeTimeout: timeoutMs });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', (e) => reject(new Error(`cannot open the inspector WebSocket on ${host}:${options.port}: ${e.message}`)));
  });
  return { transport: new WebSocketTransport(ws), endpoint, warning: loopback ? undefined : inspectorRiskWarning(host, options.port) };
}
