// The kernel's attach listener (`%listen`): a TLS 1.3 server, on 127.0.0.1 and a random port by
// default, with a certificate generated at listen time. It exists only while the user wants it.
// Each connection must finish TLS and the mutual HMAC handshake (handshake.ts) within one short
// deadline, with tiny pre-auth frames; unauthenticated connections are capped per peer and in all,
// and idle ones make room for newcomers (preAuthGate.ts). Failures are reported as rejections
// with a readable reason and never affect other authenticated connections. Authenticated agents wait in a list
// until the notebook takes one as a debug target (see remoteTarget.ts).

import type * as net from 'node:net';
import * as os from 'node:os';
import * as tls from 'node:tls';
import { logger } from '../common/log';
import { AgentLink, DEFAULT_LINK_LIMITS, type AgentLinkLimits } from '../targets/agentLink';
import { generateSelfSignedCert } from '../link/cert';
import { exportKeyingMaterial, runFramedHandshake } from '../link/framedHandshake';
import { KernelHandshake, type AgentInfo } from '../link/handshake';
import { isLoopbackHost, listenerRiskWarning, NonLoopbackError } from './loopback';
import { connectionKey, DEFAULT_PRE_AUTH_LIMITS, PreAuthGate } from './preAuthGate';
import { encodeToken, TokenStore } from '../link/token';

const log = logger('targets');

export interface ListenOptions {
  host?: string;
  port?: number;
  /** Required to bind anything but loopback. */
  allowNonLoopback?: boolean;
  /** Host written into tokens (defaults to the bind host, or this machine's first external IPv4). */
  advertiseHost?: string;
  tokenTtlMs?: number;
  /** From TCP accept to authenticated (TLS + handshake), default 3 s. */
  handshakeTimeoutMs?: number;
  /** Unauthenticated connections in all (default 16); the oldest idle one makes room for a newcomer. */
  maxPendingHandshakes?: number;
  /** Unauthenticated connections from one address (default 4). */
  maxPendingPerPeer?: number;
  linkLimits?: AgentLinkLimits;
}

export interface AttachedAgent {
  /** The token id it authenticated with: unique per agent. */
  id: string;
  info: AgentInfo;
  link: AgentLink;
  remoteAddress: string;
  connectedAt: number;
}

export interface Rejection {
  remoteAddress: string;
  tokenId?: string;
  reason: string;
}

function describeTlsError(err: Error & { code?: string }): string {
  const m = `${err.code ?? ''} ${err.message}`.toLowerCase();
  if (/wrong_version_number|wrong version number|http_request|http request|unknown protocol|packet_length_too_long/.test(m)) {
    return 'not a TLS connection (plain TCP?): the attach listener only speaks TLS 1.3';
  }
  if (/unsupported protocol|unsupported_protocol|version too low|no protocols available/.test(m)) return 'TLS version refused: only TLS 1.3 is accepted';
  if (/timeout|timed out/.test(m)) return 'TLS handshake timed out';
  return `TLS handshake failed: ${err.message}`;
}

function externalIPv4(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export class AttachListener {
  readonly fingerprint: Buffer;
  /** Set when bound to a non-loopback address: show it to the user. */
  readonly warning: string | undefined;
  private readonly tokens = new TokenStore();
  private readonly waiting = new Map<string, AttachedAgent>();
  private readonly agentListeners = new Set<(a: AttachedAgent) => void>();
  private readonly rejectListeners = new Set<(r: Rejection) => void>();
  private readonly gate: PreAuthGate;
  private closed = false;

  private constructor(
    private readonly server: tls.Server,
    readonly host: string,
    readonly port: number,
    private readonly advertiseHost: string,
    fingerprint: Buffer,
    private readonly options: ListenOptions,
  ) {
    this.fingerprint = fingerprint;
    this.warning = isLoopbackHost(host) ? undefined : listenerRiskWarning(host, port);
    this.gate = new PreAuthGate(
      {
        maxPending: options.maxPendingHandshakes ?? DEFAULT_PRE_AUTH_LIMITS.maxPending,
        maxPerPeer: options.maxPendingPerPeer ?? DEFAULT_PRE_AUTH_LIMITS.maxPerPeer,
        timeoutMs: options.handshakeTimeoutMs ?? DEFAULT_PRE_AUTH_LIMITS.timeoutMs,
      },
      (remote, reason) => this.reject(remote, undefined, reason),
    );
    // Raw TCP connections, before TLS: every one is under the gate's deadline and limits.
    server.on('connection', (raw: net.Socket) => {
      if (this.closed) raw.destroy();
      else this.gate.admit(raw);
    });
    server.on('secureConnection', (socket) => void this.onSecureConnection(socket).catch((e: Error) => log.warn('attach connection failed', e)));
    server.on('tlsClientError', (err, socket) => {
      // A connection the gate closed was already reported with its reason.
      if (socket.remoteAddress !== undefined && !this.gate.evictionReason(connectionKey(socket))) this.reject(socket.remoteAddress, undefined, describeTlsError(err));
      socket.destroy();
    });
  }

  static async listen(options: ListenOptions = {}): Promise<AttachListener> {
    const host = options.host ?? '127.0.0.1';
    if (!isLoopbackHost(host) && !options.allowNonLoopback) throw new NonLoopbackError('the attach listener', host);
    const cert = generateSelfSignedCert();
    const server = tls.createServer({
      key: cert.keyPem,
      cert: cert.certPem,
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      // The gate's deadline covers TLS and the handshake; this is only a backstop.
      handshakeTimeout: (options.handshakeTimeoutMs ?? DEFAULT_PRE_AUTH_LIMITS.timeoutMs) + 1000,
      // CDP is request/response with small frames: Nagle + delayed ACK would add ~40 ms per step.
      noDelay: true,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (e) => log.error(`attach listener error: ${e.message}`));
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const wildcard = host === '0.0.0.0' || host === '::';
    const advertise = options.advertiseHost ?? (wildcard ? externalIPv4() : host === 'localhost' ? '127.0.0.1' : host);
    return new AttachListener(server, host, port, advertise, cert.fingerprint, options);
  }

  /** A fresh single-use token for one agent, valid for `ttlMs` (default 10 minutes). */
  issueToken(ttlMs = this.options.tokenTtlMs ?? 10 * 60_000): { token: string; id: string; expiresAt: number } {
    if (this.closed) throw new Error('the attach listener is closed');
    const t = this.tokens.issue(this.advertiseHost, this.port, this.fingerprint, ttlMs);
    return { token: encodeToken(t), id: t.id, expiresAt: t.expiresAt };
  }

  onAgent(listener: (a: AttachedAgent) => void): () => void {
    this.agentListeners.add(listener);
    return () => this.agentListeners.delete(listener);
  }

  onRejected(listener: (r: Rejection) => void): () => void {
    this.rejectListeners.add(listener);
    return () => this.rejectListeners.delete(listener);
  }

  /** Authenticated agents not yet taken as targets. */
  waitingAgents(): AttachedAgent[] {
    return [...this.waiting.values()];
  }

  /** Removes an agent from the waiting list and hands it to the caller (who now owns its link). */
  take(id: string): AttachedAgent | undefined {
    const a = this.waiting.get(id);
    this.waiting.delete(id);
    return a;
  }

  /** Resolves when the agent holding token `tokenId` authenticates; rejects on its rejection or the deadline. */
  waitForAgent(tokenId: string, timeoutMs: number): Promise<AttachedAgent> {
    const ready = this.waiting.get(tokenId);
    if (ready) return Promise.resolve(ready);
    return new Promise<AttachedAgent>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        offAgent();
        offReject();
      };
      const offAgent = this.onAgent((a) => {
        if (a.id !== tokenId) return;
        done();
        resolve(a);
      });
      const offReject = this.onRejected((r) => {
        if (r.tokenId !== tokenId) return;
        done();
        reject(new Error(`the agent was rejected: ${r.reason}`));
      });
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no agent dialed back within ${timeoutMs} ms`));
      }, timeoutMs);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.tokens.revokeAll();
    for (const a of this.waiting.values()) a.link.close('the attach listener was closed');
    this.waiting.clear();
    this.gate.closeAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async onSecureConnection(socket: tls.TLSSocket): Promise<void> {
    socket.on('error', () => undefined); // reported through the handshake or the link
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const key = connectionKey(socket);
    if (this.closed || !this.gate.secured(socket)) {
      if (this.closed) this.reject(remote, undefined, 'the attach listener is closing');
      socket.destroy();
      return;
    }
    const machine = new KernelHandshake((id) => this.tokens.consume(id), exportKeyingMaterial(socket));
    // The gate's deadline ends it earlier; this one only bounds the promise.
    const result = await runFramedHandshake(socket, machine, undefined, (this.options.handshakeTimeoutMs ?? DEFAULT_PRE_AUTH_LIMITS.timeoutMs) + 1000);
    const evicted = this.gate.evictionReason(key);
    this.gate.release(key);
    if (!result.ok || evicted) {
      this.reject(remote, machine.tokenId || undefined, evicted ?? (result.ok ? 'closed' : result.reason));
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    const agent: AttachedAgent = {
      id: result.tokenId,
      info: result.info,
      link: new AgentLink(socket, this.options.linkLimits ?? DEFAULT_LINK_LIMITS),
      remoteAddress: remote,
      connectedAt: Date.now(),
    };
    log.info(`agent authenticated from ${remote}: pid ${agent.info.pid} ${agent.info.title}`);
    this.waiting.set(agent.id, agent);
    agent.link.onClose(() => {
      if (this.waiting.get(agent.id) === agent) this.waiting.delete(agent.id);
    });
    for (const l of [...this.agentListeners]) l(agent);
  }

  private reject(remoteAddress: string | undefined, tokenId: string | undefined, reason: string): void {
    const r: Rejection = { remoteAddress: remoteAddress ?? '?', tokenId, reason };
    log.warn(`attach rejected (${r.remoteAddress}): ${reason}`);
    for (const l of [...this.rejectListeners]) l(r);
  }
}
