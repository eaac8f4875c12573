// The main-thread side of the compiler worker: starts it on demand, sends typed requests with a
// deadline, restarts it (replaying the executed cells) if it dies, and never blocks the caller.
// From the built package it runs dist/lang/service/worker.js; from sources (ts-jest) it runs
// worker.ts through a require hook that transpiles with TypeScript inside the worker.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { DEFAULT_SEMI_SPACE_FLAG } from '../../common/kernelEnv';
import type { Logger } from '../../common/log';
import type { FromWorker, RequestKind, RequestMap, RequestMessage, ToWorker, WorkerInit } from './protocol';

const MAX_RESTARTS = 3;
/** How long cells that need no check may wait before the worker hears of them (see notifyLater). */
const HOLD_MS = 200;
const HEAP_LIMIT_MB = 1024;
/** Young generation cap: V8's default lets it grow to ~48 MB; 6 MB measured ~28 MB less RSS than 48 (12 less than 16) and no slower checks. */
const YOUNG_LIMIT_MB = 6;

interface Pending {
  resolve: (v: RequestMap[RequestKind]['result']) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class TimeoutError extends Error {
  constructor(kind: string, ms: number) {
    super(`language service: ${kind} took longer than ${ms} ms`);
  }
}

export class WorkerClient {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private restarts = 0;
  private disposed = false;
  private isWarm = false;
  private isFull = false;
  private held: ToWorker[] = [];
  private holdTimer: NodeJS.Timeout | undefined;
  /** Milliseconds the worker took from init to warm, once known. */
  readyMs: number | undefined;
  /** Milliseconds the worker took from init to the full program, once known. */
  fullMs: number | undefined;
  /** Names of the global types, sent with the full program (see pathAnswers.ts). */
  globalTypes: string[] | undefined;

  constructor(
    private readonly init: () => WorkerInit,
    private readonly log: Logger,
  ) {}

  get warm(): boolean {
    return this.isWarm;
  }

  /** True once the worker has the full program (completion and hover answers are final). */
  get full(): boolean {
    return this.isFull;
  }

  /** Starts the worker if it is not running (and has not crashed too often). */
  start(): void {
    if (this.worker || this.disposed || this.restarts > MAX_RESTARTS) return;
    const w = spawnWorker();
    this.worker = w;
    // `init()` carries every cell so far: nothing held for an earlier worker is sent again.
    this.held = [];
    w.unref();
    w.on('message', (m: FromWorker) => this.onMessage(m));
    w.on('error', (err) => this.log.error('language worker error', err));
    w.on('exit', (code) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.isWarm = false;
      this.isFull = false;
      this.failAll(new Error(`language worker exited (code ${code})`));
      if (!this.disposed) {
        this.restarts++;
        this.log.warn(`language worker exited with code ${code}; it restarts on the next request`);
      }
    });
    this.send({ type: 'init', init: this.init() });
  }

  /** Sends a one-way message (when the worker runs; otherwise `init()` will carry the state). */
  notify(msg: ToWorker): void {
    this.flushHeld();
    if (this.worker) this.send(msg);
  }

  /**
   * Like notify, but held for up to HOLD_MS and sent with the next message (in order): a burst of
   * cells that need no check wakes the worker thread once, not once per cell.
   */
  notifyLater(msg: ToWorker): void {
    if (!this.worker) return;
    this.held.push(msg);
    if (!this.holdTimer) {
      this.holdTimer = setTimeout(() => this.flushHeld(), HOLD_MS);
      this.holdTimer.unref();
    }
  }

  private flushHeld(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    for (const m of this.held.splice(0)) this.send(m);
  }

  request<K extends RequestKind>(kind: K, params: RequestMap[K]['params'], timeoutMs: number): Promise<RequestMap[K]['result']> {
    this.start();
    if (!this.worker) return Promise.reject(new Error('language worker unavailable'));
    const id = this.nextId++;
    return new Promise<RequestMap[K]['result']>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new TimeoutError(kind, timeoutMs));
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve: (v) => resolve(v), reject, timer });
      this.flushHeld();
      this.send({ type: 'request', id, kind, params });
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.failAll(new Error('language service disposed'));
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private send(msg: ToWorker | RequestMessage<RequestKind>): void {
    this.worker?.postMessage(msg);
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'ready') {
      this.isWarm = true;
      this.readyMs = m.ms;
      this.log.debug(`language worker warm in ${m.ms} ms`);
    } else if (m.type === 'full') {
      this.isFull = true;
      this.fullMs = m.ms;
      this.globalTypes = m.globalTypes;
      this.log.debug(`language worker has the full program ${m.ms} ms after init`);
    } else if (m.type === 'log') {
      this.log[m.level](m.message);
    } else {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    }
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) (clearTimeout(p.timer), p.reject(err));
    this.pending.clear();
  }
}

const TS_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const req = require('node:module').createRequire(workerData.entry);
const ts = req('typescript');
require.extensions['.ts'] = (m, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  m._compile(out.outputText, filename);
};
req(workerData.entry);
`;

function spawnWorker(): Worker {
  // The kernel's own small semi-space flag (common/kernelEnv.ts) would override the worker's
  // young generation below: V8 reads the flag when it creates the worker's heap.
  v8.setFlagsFromString(DEFAULT_SEMI_SPACE_FLAG);
  const resourceLimits = { maxOldGenerationSizeMb: HEAP_LIMIT_MB, maxYoungGenerationSizeMb: YOUNG_LIMIT_MB };
  const js = path.join(__dirname, 'worker.js');
  if (fs.existsSync(js)) return new Worker(js, { resourceLimits });
  const entry = path.join(__dirname, 'worker.ts');
  return new Worker(TS_BOOTSTRAP, { eval: true, workerData: { entry }, resourceLimits });
}
