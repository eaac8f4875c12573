// The heartbeat echo, off the main event loop and without a JavaScript thread: a ROUTER socket
// on the heartbeat endpoint, joined by a ZeroMQ proxy to a DEALER connected to itself over
// inproc, so every ping (with its routing envelope) goes round the loop and straight back to its
// sender. The proxy loop runs inside libzmq on a libuv pool thread, so pings are answered while
// the main thread is busy (HMAC over a large message, a slow handler) — as ipykernel's heartbeat
// device does on its own thread — at no cost of a worker isolate (~10 MB per kernel).
//
// A running proxy holds its pool thread until terminated, and Node's process.exit() waits for
// the pool's threads: close() ends it, and an `exit` hook ends it on any other way out.

import * as zmq from 'zeromq';
import type { Logger } from '../common/log';

export interface HeartbeatData {
  endpoint: string;
  maxMessageSize: number;
}

/** How long closing waits for the proxy loop to end before giving up on it. */
const CLOSE_WAIT_MS = 500;

let loops = 0;

export class Heartbeat {
  private proxy: zmq.Proxy | undefined;
  private running: Promise<void> | undefined;
  private readonly endOnExit = (): void => this.terminate();

  constructor(
    private readonly data: HeartbeatData,
    private readonly log: Logger,
  ) {}

  /** Binds the endpoint and starts echoing; rejects (with the endpoint named) if it cannot bind. */
  async start(): Promise<void> {
    const front = new zmq.Router({ linger: 0, maxMessageSize: this.data.maxMessageSize });
    const loop = new zmq.Dealer({ linger: 0 });
    const loopEndpoint = `inproc://tskernel-heartbeat-${process.pid}-${++loops}`;
    try {
      await front.bind(this.data.endpoint);
      await loop.bind(loopEndpoint);
      loop.connect(loopEndpoint);
    } catch (e) {
      front.close();
      loop.close();
      throw new Error(`heartbeat bind ${this.data.endpoint}: ${(e as Error).message}`, { cause: e });
    }
    const proxy = new zmq.Proxy(front, loop);
    this.proxy = proxy;
    this.running = proxy.run().then(
      () => undefined,
      (e: Error) => {
        if (this.proxy === proxy) this.log.error(`the heartbeat loop ended: ${e.message}`);
      },
    );
    process.on('exit', this.endOnExit);
  }

  async close(): Promise<void> {
    const running = this.running;
    this.terminate();
    if (!running) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([running, new Promise<void>((r) => (timer = setTimeout(r, CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
  }

  private terminate(): void {
    const proxy = this.proxy;
    this.proxy = undefined;
    this.running = undefined;
    process.off('exit', this.endOnExit);
    if (!proxy) return;
    try {
      proxy.terminate();
    } catch (e) {
      this.log.error('the heartbeat loop could not be stopped', e);
    }
  }
}
