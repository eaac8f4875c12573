// The remote agent's entry point inside a target process: `attach(token)` (a `set_trace`-style
// call) or `autoAttachFromEnv()` (used by `node --import tskernel/agent` / `--require`, reading
// TSKERNEL_ATTACH_TOKEN). The first attach starts remoteWorker.ts, which dials the notebook over
// TLS; that worker is never ended (it parks between links, see its header for the crash that
// avoids) and every later attach reuses it. This thread only forwards stdout/stderr to the worker,
// at a bounded rate. Nothing here throws into the host program: failures are reported on stderr and
// the program keeps running.

import * as path from 'node:path';
import { isMainThread, type Worker } from 'node:worker_threads';
import type { AgentToMain, MainToAgent, RemoteWorkerData } from './remoteProtocol';
import { spawnWorker } from './spawnWorker';

export const TOKEN_ENV = 'TSKERNEL_ATTACH_TOKEN';
/** Milliseconds without a word from the kernel before the agent releases the target (0: never). */
export const KEEPALIVE_ENV = 'TSKERNEL_AGENT_KEEPALIVE_MS';
/** The kernel pings every 2 s (attach/agentLink.ts); a busy kernel gets plenty of slack. */
export const DEFAULT_KEEPALIVE_TIMEOUT_MS = 15_000;
/** Output forwarded to the notebook per second; the rest still reaches the real stdout/stderr. */
const OUTPUT_BYTES_PER_SECOND = 128 * 1024;
const MAX_CHUNK_CHARS = 16 * 1024;

export interface AttachOptions {
  /** Forward this process's stdout/stderr to the notebook (default true). */
  forwardOutput?: boolean;
  /** Extra path prefixes of host code to hide from stacks. */
  hiddenPaths?: string[];
  /**
   * Release the process (resume, drop breakpoints, detach) when the notebook's kernel has said
   * nothing for this long: a frozen kernel or a cut network. Default TSKERNEL_AGENT_KEEPALIVE_MS,
   * else 15 s; 0 disables.
   */
  keepaliveTimeoutMs?: number;
}

export interface AgentHandle {
  /** Resolves with the reason once the link is gone (the debugger is already disabled then). */
  readonly closed: Promise<string>;
  detach(): void;
}

let current: AgentHandle | undefined;

type WriteFn = typeof process.stdout.write;

/** Wraps stdout/stderr writes; returns the undo function. */
function hookOutput(forward: (stream: 'stdout' | 'stderr', text: string) => void): () => void {
  const undo: (() => void)[] = [];
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    const original = stream.write;
    const hooked = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      try {
        if (typeof chunk === 'string') forward(name, chunk);
        else if (chunk instanceof Uint8Array) forward(name, Buffer.from(chunk).toString('utf8'));
      } catch {
        /* never break the host's output */
      }
      return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as WriteFn;
    stream.write = hooked;
    undo.push(() => {
      if (stream.write === hooked) stream.write = original;
    });
  }
  return () => undo.forEach((u) => u());
}

function rateLimited(post: (m: MainToAgent) => void): (stream: 'stdout' | 'stderr', text: string) => void {
  let windowStart = Date.now();
  let used = 0;
  let dropped = 0;
  return (stream, text) => {
    const now = Date.now();
    if (now - windowStart >= 1000) {
      if (dropped) post({ type: 'output', stream: 'stderr', text: `[tskernel agent: ${dropped} bytes of output not forwarded (rate limit)]\n` });
      windowStart = now;
      used = 0;
      dropped = 0;
    }
    const slice = text.length > MAX_CHUNK_CHARS ? text.slice(0, MAX_CHUNK_CHARS) : text;
    dropped += text.length - slice.length;
    if (used + slice.length > OUTPUT_BYTES_PER_SECOND) {
      dropped += slice.length;
      return;
    }
    used += slice.length;
    post({ type: 'output', stream, text: slice });
  };
}

/** The agent worker of this process: started by the first attach, parked between links, reused. */
interface AgentWorker {
  worker: Worker;
  /** The current attach's listeners; undefined while the worker is parked. */
  onMessage?: (m: AgentToMain) => void;
  onGone?: (reason: string) => void;
}
let agentWorker: AgentWorker | undefined;

function startAgentWorker(): AgentWorker {
  // execArgv: [] so a worker never re-runs `--import tskernel/agent`; env without the token.
  const env = { ...process.env };
  delete env[TOKEN_ENV];
  const workerData: RemoteWorkerData = { hiddenPaths: [path.resolve(__dirname, '..') + path.sep] };
  const worker = spawnWorker({ workerData, execArgv: [], env, stdout: false, stderr: false });
  const a: AgentWorker = { worker };
  // Listeners are added once, here, before unref(): each attach only swaps the callbacks, and a
  // parked worker must never keep the target alive.
  worker.on('message', (m: AgentToMain) => a.onMessage?.(m));
  const gone = (reason: string): void => {
    if (agentWorker === a) agentWorker = undefined;
    a.onGone?.(reason);
  };
  worker.on('error', (e) => gone(`agent worker failed: ${e.message}`));
  worker.on('exit', () => gone('agent worker exited'));
  worker.unref(); // the agent never keeps the target alive by itself
  return a;
}

function keepaliveFromEnv(): number {
  const v = Number(process.env[KEEPALIVE_ENV]);
  return Number.isFinite(v) && v >= 0 ? v : DEFAULT_KEEPALIVE_TIMEOUT_MS;
}

/**
 * Connects this process to the notebook that printed `token`. Rejects with a readable reason.
 * After a detach the process can attach again (a new token): the same agent worker is reused.
 */
export function attach(token: string, options: AttachOptions = {}): Promise<AgentHandle> {
  if (current) return Promise.reject(new Error('this process is already attached to a notebook'));
  let a: AgentWorker;
  try {
    a = agentWorker ??= startAgentWorker();
  } catch (e) {
    return Promise.reject(new Error(`could not start the agent worker: ${(e as Error).message}`));
  }
  const worker = a.worker;
  let unhook = (): void => undefined;
  let resolveClosed: (reason: string) => void = () => undefined;
  const closed = new Promise<string>((r) => (resolveClosed = r));
  // A stale handle (its link is gone, maybe a new one is up on the same worker) detaches nothing.
  const handle: AgentHandle = { closed, detach: () => current === handle && worker.postMessage({ type: 'detach' } satisfies MainToAgent) };
  current = handle;
  // Announced again once online (see runnerAgent.ts): the first announcement comes before the new
  // thread has registered with the inspector.
  const onWorker = (w: Worker): void => {
    if (w === worker || w.constructor.name === 'InternalWorker') return;
    const announce = (): void => {
      if (!ended) worker.postMessage({ type: 'workerStarted', threadId: w.threadId } satisfies MainToAgent);
    };
    announce();
    w.once('online', announce);
  };
  let ended = false;
  const end = (reason: string): void => {
    if (ended) return;
    ended = true;
    unhook();
    process.off('worker', onWorker);
    a.onMessage = undefined;
    a.onGone = undefined;
    if (current === handle) current = undefined;
    resolveClosed(reason);
  };
  return new Promise<AgentHandle>((resolve, reject) => {
    a.onMessage = (m) => {
      if (m.type === 'linked') {
        process.on('worker', onWorker);
        resolve(handle);
      } else if (m.type === 'failed') {
        end(m.reason);
        reject(new Error(m.reason));
      } else if (m.type === 'closed') {
        end(m.reason);
      }
    };
    a.onGone = (reason) => {
      end(reason);
      reject(new Error(`${reason} before linking`));
    };
    // Output is hooked before the link is up, not when `linked` reaches this thread: the kernel
    // may evaluate code here (through the inspector, between two of this thread's own tasks) as
    // soon as the link is, and that code's output must reach the notebook. Until then the worker
    // drops what it is sent (no link to send it on).
    if (options.forwardOutput !== false) unhook = hookOutput(rateLimited((msg) => worker.postMessage(msg)));
    worker.postMessage({
      type: 'attach',
      token,
      hiddenPaths: options.hiddenPaths ?? [],
      info: { pid: process.pid, node: process.version, title: path.basename(process.argv[1] ?? process.argv0), argv: process.argv.slice(1, 9) },
      keepaliveTimeoutMs: options.keepaliveTimeoutMs ?? keepaliveFromEnv(),
    } satisfies MainToAgent);
  });
}

/** `--import`/`--require` entry: attach if TSKERNEL_ATTACH_TOKEN is set, report on stderr, never throw. */
export function autoAttachFromEnv(): void {
  if (!isMainThread) return;
  const token = process.env[TOKEN_ENV];
  if (!token) return;
  delete process.env[TOKEN_ENV]; // single-use: child processes must not retry it
  void attach(token).then(
    (h) => {
      process.stderr.write('[tskernel agent] attached to the notebook\n');
      void h.closed.then((reason) => process.stderr.write(`[tskernel agent] detached: ${reason}\n`));
    },
    (e: Error) => process.stderr.write(`[tskernel agent] attach failed: ${e.message} (the program continues without the debugger)\n`),
  );
}
