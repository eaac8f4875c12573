// Serializes sends on one ZeroMQ socket: zeromq.js v6 allows a single pending send per socket
// (EBUSY otherwise), so every outgoing message waits its turn here and failures are logged.

import type { Logger } from '../common/log';

interface Sendable {
  send(msg: Buffer[]): Promise<void>;
}

export class SendQueue {
  private readonly queue: Buffer[][] = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly socket: Sendable,
    private readonly name: string,
    private readonly log: Logger,
  ) {}

  push(frames: Buffer[]): void {
    this.queue.push(frames);
    if (!this.running) void this.drain();
  }

  /** Resolves once everything queued so far has been handed to ZeroMQ. */
  flushed(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      const frames = this.queue.shift() as Buffer[];
      try {
        await this.socket.send(frames);
      } catch (e) {
        this.log.warn(`send on ${this.name} failed`, e);
      }
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
