// The remote agent's worker thread: dials the kernel's attach listener over TLS 1.3, pins the
// certificate fingerprint from the token, proves the token's secret (attach/handshake.ts), then
// relays CDP between an inspector session on the main thread and the link (relay.ts). It opens
// no port. Output chunks posted by the main thread are forwarded as `Agent.output` frames.
// Logging goes straight to fd 2: worker console output is routed through the (maybe paused) main thread.

import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as tls from 'node:tls';
import { parentPort, workerData } from 'node:worker_threads';
import { fingerprintOf } from '../attach/cert';
import { exportKeyingMaterial, runFramedHandshake } from '../attach/framedHandshake';
import { AgentHandshake, HANDSHAKE_TIMEOUT_MS } from '../attach/handshake';
import { parseToken, type AttachToken } from '../attach/token';
import type { AgentToMain, MainToAgent, RemoteWorkerData } from './remoteProtocol';
import { runRelay, type Relay } from './relay';

const data = workerData as RemoteWorkerData;

function log(msg: string): void {
  try {
    fs.writeSync(2, `[tskernel agent] ${msg}\n`);
  } catch {
    /* stderr gone */
  }
}

function post(message: AgentToMain): void {
  parentPort?.postMessage(message);
}

function finish(message: AgentToMain): never {
  post(message);
  process.exit(0);
}

function dial(token: AttachToken): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: token.host,
      port: token.port,
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      // No CA: the certificate is pinned by fingerprint below, before any application data.
      rejectUnauthorized: false,
      servername: /^[\d.:]+$/.test(token.host) ? undefined : token.host,
    });
    const timer = setTimeout(() => socket.destroy(new Error(`no TLS connection to ${token.host}:${token.port} within ${HANDSHAKE_TIMEOUT_MS} ms`)), HANDSHAKE_TIMEOUT_MS);
    socket.setNoDelay(true); // small request/response frames: no Nagle delay
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const raw = socket.getPeerCertificate(true).raw;
      const got = raw ? fingerprintOf(raw) : Buffer.alloc(0);
      if (!got.equals(token.fingerprint)) {
        socket.destroy();
        reject(
          new Error(
            `certificate fingerprint mismatch: the token pins ${token.fingerprint.toString('hex').slice(0, 16)}…, ` +
              `${token.host}:${token.port} presented ${got.toString('hex').slice(0, 16)}… (not the listener that issued the token)`,
          ),
        );
        return;
      }
      resolve(socket);
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot reach the kernel at ${token.host}:${token.port}: ${e.message}`));
    });
  });
}

async function main(): Promise<void> {
  let token: AttachToken;
  try {
    token = parseToken(data.token);
  } catch (e) {
    finish({ type: 'failed', reason: (e as Error).message });
  }
  if (Date.now() >= token.expiresAt) finish({ type: 'failed', reason: `attach token expired at ${new Date(token.expiresAt).toISOString()}` });
  let socket: tls.TLSSocket;
  try {
    socket = await dial(token);
  } catch (e) {
    finish({ type: 'failed', reason: (e as Error).message });
  }
  const handshake = new AgentHandshake(token, exportKeyingMaterial(socket), data.info);
  const result = await runFramedHandshake(socket, handshake, handshake.start(), HANDSHAKE_TIMEOUT_MS);
  if (!result.ok) {
    socket.destroy();
    finish({ type: 'failed', reason: result.reason });
  }
  socket.on('error', () => undefined); // reported by the relay's close
  const session = new inspector.Session();
  session.connectToMainThread();
  const relay: Relay = runRelay(socket, session, {
    hello: { method: 'Agent.hello', params: { pid: process.pid, node: process.version, hiddenPaths: data.hiddenPaths } },
    log,
    onClose: (reason) => finish({ type: 'closed', reason }),
  });
  parentPort?.on('message', (m: MainToAgent) => {
    if (m.type === 'output') relay.send({ method: 'Agent.output', params: { stream: m.stream, text: m.text } });
    else if (m.type === 'detach') relay.close('detached by the target');
    // This session hears of new workers only when NodeWorker is enabled again: tell the kernel.
    else if (m.type === 'workerStarted') relay.send({ method: 'Agent.workerStarted', params: { threadId: m.threadId } });
  });
  post({ type: 'linked', host: token.host, port: token.port });
}

main().catch((e: Error) => finish({ type: 'failed', reason: `agent error: ${e.message}` }));
