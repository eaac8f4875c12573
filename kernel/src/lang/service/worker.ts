// Entry point of the compiler worker thread. Loads TypeScript (off the kernel's main thread),
// builds the Engine on `init`, warms its early program and reports `ready`, then finishes the
// staged start one file per event-loop turn so requests are answered in between, and reports
// `full`. Type checks, pings, completions, inspections (and the cells added after them) wait for
// the full program, in arrival order: the early program's stand-in Node typings would answer
// `any` or nothing (the client bounds that wait). is_complete is answered at once. Every request
// gets a reply. Added cells are queued by the engine; a check takes in only those it can depend on.
// While type checking is on (the kernel checks a cell before it adds it), the rest are taken in
// after a short quiet time, so the next completion or hover does not pay for the rebuild and no
// rebuild delays a check arriving meanwhile; unchecked cells (checking off, bursts) cost nothing.
// After a quiet second, the garbage of the programs built meanwhile is collected (common/idleGc.ts).

import './loadCompiler';
import { parentPort } from 'node:worker_threads';
import { Engine } from './engine';
import { IdleGc } from '../../common/idleGc';
import { lowerThreadPriority } from './lowPriority';
import type { FromWorker, RequestKind, RequestMap, RequestMessage, ToWorker } from './protocol';

type Handlers = { [K in RequestKind]: (e: Engine, p: RequestMap[K]['params']) => RequestMap[K]['result'] };

const handlers: Handlers = {
  check: (e, p) => e.check(p.code),
  complete: (e, p) => e.complete(p.code, p.pos),
  details: (e, p) => e.details(p.code, p.pos, p.names),
  inspect: (e, p) => e.inspect(p.code, p.pos, p.detailLevel),
  isComplete: (e, p) => e.isComplete(p.code),
  ping: (e) => (e.refresh(), { warm: e.full }),
};

lowerThreadPriority();

let engine: Engine | undefined;
const idleGc = new IdleGc({ slackMb: 24, burstSlackMb: 160, offVariable: 'TSKERNEL_LANG_IDLE_GC' });
/** Checks and cell additions waiting for the full program, in order. */
const deferred: ToWorker[] = [];

function post(msg: FromWorker): void {
  parentPort?.postMessage(msg);
}

function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

function dispatch<K extends RequestKind>(e: Engine, msg: RequestMessage<K>): RequestMap[K]['result'] {
  return handlers[msg.kind](e, msg.params);
}

function run(e: Engine, msg: ToWorker): void {
  if (msg.type === 'init') return;
  if (msg.type === 'addCell') {
    try {
      e.addCell(msg.code, msg.executionCount);
    } catch (err) {
      post({ type: 'log', level: 'error', message: `addCell failed: ${errorText(err)}` });
    }
    return;
  }
  try {
    post({ type: 'reply', id: msg.id, ok: true, result: dispatch(e, msg) });
  } catch (err) {
    post({ type: 'reply', id: msg.id, ok: false, error: errorText(err) });
  }
}

function pump(e: Engine, t0: number): void {
  try {
    if (e.stepStart()) {
      setImmediate(() => pump(e, t0));
      return;
    }
  } catch (err) {
    post({ type: 'log', level: 'error', message: `staged start failed: ${errorText(err)}` });
  }
  let globalTypes: string[] = [];
  try {
    globalTypes = e.globalTypes();
  } catch (err) {
    post({ type: 'log', level: 'warn', message: `global type names unavailable: ${errorText(err)}` });
  }
  post({ type: 'full', ms: Date.now() - t0, globalTypes });
  for (const msg of deferred.splice(0)) run(e, msg);
  // The staged start's garbage (the early program, the preparser's copies) goes once it is quiet.
  idleGc.touch();
}

/**
 * Quiet time after which cells a check left queued are taken into the program. Long enough that
 * requests in quick succession (a notebook run top to bottom, a client's burst) never find the
 * worker in a rebuild (20-50 ms); short against the time a user takes to reach for completion or
 * hover after running a cell.
 */
const PREPARE_QUIET_MS = 250;
/** Kind of the last request run: a `check` followed by its cell's addCell means type checking is on. */
let lastKind: RequestKind | undefined;
/** A checked cell waits in the queue (type checking is on): the queue is worth a rebuild. */
let checkedQueued = false;
let prepareTimer: NodeJS.Timeout | undefined;

/**
 * While type checking is on and checked cells wait in the queue (a check takes in only the cells
 * it can depend on), takes them into the program once the worker has been quiet for
 * PREPARE_QUIET_MS, so the next completion or hover only swaps the current cell. Every message
 * restarts the wait: no rebuild starts while requests keep coming (a check right after a cell
 * used to wait behind one).
 */
function prepareWhenQuiet(e: Engine): void {
  if (prepareTimer) clearTimeout(prepareTimer);
  prepareTimer = undefined;
  if (!e.hasQueued) checkedQueued = false;
  if (!checkedQueued) return;
  prepareTimer = setTimeout(() => {
    prepareTimer = undefined;
    if (deferred.length > 0) return;
    try {
      e.prepare();
    } catch (err) {
      post({ type: 'log', level: 'warn', message: `prepare failed: ${errorText(err)}` });
    }
  }, PREPARE_QUIET_MS);
  prepareTimer.unref();
}

parentPort?.on('message', (msg: ToWorker) => {
  if (msg.type === 'init') {
    const t0 = Date.now();
    engine = new Engine(msg.init);
    try {
      engine.warm();
    } catch (err) {
      post({ type: 'log', level: 'warn', message: `warm-up failed: ${errorText(err)}` });
    }
    post({ type: 'ready', ms: Date.now() - t0 });
    const e = engine;
    setImmediate(() => pump(e, t0));
    return;
  }
  if (!engine) return;
  idleGc.touch();
  const waits = msg.type === 'addCell' || (msg.type === 'request' && msg.kind !== 'isComplete');
  if (waits && (!engine.full || deferred.length > 0)) {
    deferred.push(msg);
    return;
  }
  run(engine, msg);
  if (msg.type === 'request' && msg.kind === 'check') setImmediate(() => idleGc.youngNow());
  if (msg.type === 'request') lastKind = msg.kind;
  else if (msg.type === 'addCell') {
    if (lastKind === 'check') checkedQueued = true;
    lastKind = undefined;
  }
  prepareWhenQuiet(engine);
});
