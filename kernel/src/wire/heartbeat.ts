// Runs the heartbeat REP echo in a worker thread (heartbeatWorker.ts), independent of the main
// event loop: start() resolves once the worker has bound the endpoint, close() stops it.

import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../common/log';

export interface HeartbeatData {
  endpoint: string;
  maxMessageSize: number;
}

export type HeartbeatReport = { type: 'ready' } | { type: 'failed'; message: string };

/** How long closing waits for the worker to release its socket before terminating it. */
const CLOSE_WAIT_MS = 500;

export class Heartbeat {
  private worker: Worker | undefined;

  constructor(
    private readonly data: HeartbeatData,
    private readonly log: Logger,
  ) {}

  start(): Promise<void> {
    const worker = new Worker(path.join(__dirname, 'heartbeatWorker.js'), { workerData: this.data });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      let started = false;
      worker.on('message', (r: HeartbeatReport) => {
        if (r.type === 'ready') {
          started = true;
          resolve();
        } else if (!started) reject(new Error(r.message));
        else this.log.error(r.message);
      });
      worker.on('error', (e) => (started ? this.log.error('heartbeat thread failed', e) : reject(e)));
      worker.on('exit', (code) => {
        if (!started) reject(new Error(`heartbeat thread exited (${code}) before binding`));
        else if (this.worker === worker) this.log.error(`heartbeat thread exited (${code})`);
      });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise<void>((r) => worker.once('exit', () => r()));
    worker.postMessage('close');
    const timer = setTimeout(() => void worker.terminate(), CLOSE_WAIT_MS);
    await exited;
    clearTimeout(timer);
  }
}
