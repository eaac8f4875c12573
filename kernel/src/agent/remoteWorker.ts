// The remote agent's worker thread: for each `attach` message it dials the kernel's attach
// listener over TLS 1.3, pins the certificate fingerprint from the token, proves the token's secret
// (attach/handshake.ts), then relays CDP between a new inspector session on the main thread and
// the link (relay.ts). It opens no port. Output chunks posted by the main thread are forwarded as
// `Agent.output` frames. Logging goes straight to fd 2: worker console output is routed through the
// (maybe paused) main thread.
//
// This thread never ends on its own: after a link closes (the relay has resumed, disabled and
// disconnected the session) it parks, waiting on parentPort, and the next attach reuses it.
// Why: disconnecting a session posts its release to the main thread, and releasing it there posts
// back to this thread's inspector interface. If this thread exits meanwhile, that interface is being
// destroyed while the main thread posts to it, and Node aborts the whole process (SIGABRT in
// MainThreadInterface::Post from ~ThreadSafeDelegate, Node 20.20). A parked thread keeps the
// interface alive for as long as the process runs; it goes only at process exit, when the main
// thread is joining this thread and dispatches nothing. The session itself is still disconnected
// (rather than kept for the next link): that is what drops every domain's state at once (NodeWorker
// waiting for a debugger, Runtime's console events), and it is safe once the thread stays.
// Measured with a standalone loop (worker_threads + connectToMainThread, main thread paused at a
// `debugger` statement, teardown while paused): exit after disconnect aborted 51 of 100 runs; park
// and reuse, 0 aborts in 1,690 detaches over 260 processes (130 calling process.exit() mid-teardown)
// plus 130 exits while attached. The main side unrefs this worker: a parked agent never keeps the
// process alive.

import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as tls from 'node:tls';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { fingerprintOf } from '../link/cert';
import { exportKeyingMaterial, runFramedHandshake } from '../link/framedHandshake';
import { AgentHandshake, HANDSHAKE_TIMEOUT_MS } from '../link/handshake';
import { parseToken, type AttachToken } from '../link/token';
import type { AgentToMain, AttachRequest, MainToAgent, RemoteWorkerData } from './remoteProtocol';
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

/** The live link, if any; at most one attach runs at a time. */
let relay: Relay | undefined;
let busy = false;

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

/** Dials, authenticates and starts the relay; every failure before the relay becomes `failed`. */
async function link(req: AttachRequest): Promise<void> {
  const token = parseToken(req.token);
  if (Date.now() >= token.expiresAt) throw new Error(`attach token expired at ${new Date(token.expiresAt).toISOString()}`);
  const socket = await dial(token);
  const handshake = new AgentHandshake(token, exportKeyingMaterial(socket), req.info);
  const result = await runFramedHandshake(socket, handshake, handshake.start(), HANDSHAKE_TIMEOUT_MS);
  if (!result.ok) {
    socket.destroy();
    throw new Error(result.reason);
  }
  socket.on('error', () => undefined); // reported by the relay's close
  const session = new inspector.Session();
  session.connectToMainThread();
  relay = runRelay(socket, session, {
    hello: { method: 'Agent.hello', params: { pid: process.pid, node: process.version, hiddenPaths: [...data.hiddenPaths, ...req.hiddenPaths], agentThreadId: threadId } },
    log,
    keepaliveTimeoutMs: req.keepaliveTimeoutMs,
    onClose: (reason) => {
      relay = undefined;
      busy = false;
      post({ type: 'closed', reason }); // and park: see the header
    },
  });
  post({ type: 'linked', host: token.host, port: token.port });
}

function onAttach(req: AttachRequest): void {
  if (busy) {
    post({ type: 'failed', reason: 'this process is already attached to a notebook' });
    return;
  }
  busy = true;
  link(req).catch((e: Error) => {
    busy = false;
    post({ type: 'failed', reason: e.message });
  });
}

// The only ref'd handle of a parked agent: it keeps this thread (never the process) alive.
parentPort?.on('message', (m: MainToAgent) => {
  if (m.type === 'attach') onAttach(m);
  else if (m.type === 'output') relay?.send({ method: 'Agent.output', params: { stream: m.stream, text: m.text } });
  else if (m.type === 'detach') relay?.close('detached by the target');
  // This session hears of new workers only when NodeWorker is enabled again: tell the kernel.
  else if (m.type === 'workerStarted') relay?.send({ method: 'Agent.workerStarted', params: { threadId: m.threadId } });
});

// A bug here must not end this thread (that is the abort the header describes): report it, drop
// the link (which releases the target) and stay parked.
process.on('uncaughtException', (e) => {
  log(`agent error: ${e.message}`);
  relay?.close(`agent error: ${e.message}`);
});
