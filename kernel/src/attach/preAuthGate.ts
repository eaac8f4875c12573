// Admission control for the attach listener's unauthenticated connections, from TCP accept until
// the agent has proven its token: one deadline for TLS + authentication together, at most
// `maxPerPeer` such connections per peer address and `maxPending` in all. A full table never
// turns a newcomer away (that lets idle connections lock real agents out): the oldest
// connection of that peer, or else the oldest that has not even finished TLS, is closed instead.

import type * as net from 'node:net';

export interface PreAuthLimits {
  /** Unauthenticated connections in all. */
  maxPending: number;
  /** Unauthenticated connections from one peer address. */
  maxPerPeer: number;
  /** From TCP accept to authenticated. */
  timeoutMs: number;
}

export const DEFAULT_PRE_AUTH_LIMITS: PreAuthLimits = { maxPending: 16, maxPerPeer: 4, timeoutMs: 3000 };

interface Entry {
  key: string;
  peer: string;
  remote: string;
  raw: net.Socket;
  tls?: net.Socket;
  timer: NodeJS.Timeout;
  /** Set when the gate closed it: the reason the peer is told about. */
  evicted?: string;
}

/** Identifies a connection both as the raw socket and as the TLS socket over it. */
export function connectionKey(s: net.Socket): string {
  return `${s.remoteAddress ?? '?'}|${s.remotePort ?? '?'}`;
}

export class PreAuthGate {
  /** In accept order: the first entries are the oldest. */
  private readonly entries = new Map<string, Entry>();

  /**
   * @param onEvict told about a connection the gate closed before its TLS handshake finished
   *   (later ones are reported by whoever runs their authentication, see evictionReason).
   */
  constructor(
    private readonly limits: PreAuthLimits,
    private readonly onEvict: (remote: string, reason: string) => void,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** A new TCP connection: makes room for it if needed and starts its deadline. */
  admit(raw: net.Socket): void {
    const peer = raw.remoteAddress ?? '?';
    const key = connectionKey(raw);
    this.evictedReasons.delete(key);
    const same = [...this.entries.values()].filter((e) => e.peer === peer);
    if (same.length >= this.limits.maxPerPeer) {
      this.evict(same[0], `too many unauthenticated connections from ${peer} (limit ${this.limits.maxPerPeer}): the oldest was closed`);
    }
    if (this.entries.size >= this.limits.maxPending) {
      const all = [...this.entries.values()];
      const victim = all.find((e) => !e.tls) ?? all[0];
      this.evict(victim, `too many unauthenticated connections (limit ${this.limits.maxPending}): the oldest idle one was closed`);
    }
    const entry: Entry = {
      key,
      peer,
      remote: `${peer}:${raw.remotePort ?? '?'}`,
      raw,
      timer: setTimeout(() => this.evict(entry, `not authenticated within ${this.limits.timeoutMs} ms (TLS and handshake)`), this.limits.timeoutMs),
    };
    entry.timer.unref();
    this.entries.set(key, entry);
    raw.once('close', () => this.forget(entry));
  }

  /** TLS is up on this connection; false if the gate already closed it. */
  secured(tlsSocket: net.Socket): boolean {
    const e = this.entries.get(connectionKey(tlsSocket));
    if (!e) return false;
    e.tls = tlsSocket;
    return true;
  }

  /** Why the gate closed this (TLS) connection, if it did. */
  evictionReason(key: string): string | undefined {
    return this.evictedReasons.get(key);
  }

  /** Authentication finished (either way): the connection leaves the gate. */
  release(key: string): void {
    const e = this.entries.get(key);
    if (e) this.forget(e);
  }

  /** Closes every connection still waiting (the listener is closing). */
  closeAll(): void {
    for (const e of [...this.entries.values()]) this.evict(e, 'the attach listener is closing');
  }

  /** Recently evicted keys (bounded), so the authentication path can report the real reason. */
  private readonly evictedReasons = new Map<string, string>();

  private evict(e: Entry, reason: string): void {
    if (e.evicted) return;
    e.evicted = reason;
    this.forget(e);
    this.evictedReasons.set(e.key, reason);
    if (this.evictedReasons.size > 64) this.evictedReasons.delete(this.evictedReasons.keys().next().value as string);
    if (!e.tls) this.onEvict(e.remote, reason);
    e.tls?.destroy();
    e.raw.destroy();
  }

  private forget(e: Entry): void {
    clearTimeout(e.timer);
    if (this.entries.get(e.key) === e) this.entries.delete(e.key);
  }
}
