// Starts the in-runner debug agent: a worker thread (agentWorker.ts) holding an inspector session
// connected to this (the runner's) main thread, relaying CDP over the given fd, and tells it of
// every worker thread a cell starts. Called early by the runner; it returns at once and never
// delays startup. No inspector port is ever opened. Also how the runner ends itself and its
// cells' processes when the kernel is gone (endRunnerProcessGroup), from either thread.

import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AgentWorkerData } from '../link/protocol';

export interface RunnerAgentOptions {
  /** Extra path prefixes of host code to hide from stacks (the kernel's own code is always hidden). */
  hiddenPaths?: string[];
  /**
   * When the link ends (the kernel exited or was killed), end this process and its group at once —
   * even while the main thread spins in a loop. Off for hosts that must outlive their link.
   */
  endGroupWithLink?: boolean;
}

/** What the runner's agent worker is started with. */
export interface RunnerAgentWorkerData extends AgentWorkerData {
  endGroupWithLink: boolean;
}

/**
 * SIGKILL to this process's group, then to this process. The kernel spawns the runner detached,
 * so it leads a group holding the processes its cells started (unless they left it with setsid);
 * outside such a group (a test host) the first kill fails harmlessly (no group has our pid as
 * id) and only this process ends. Works from a worker thread too (process.exit would end only
 * the worker).
 */
export function endRunnerProcessGroup(): void {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    /* not a group leader */
  }
  process.kill(process.pid, 'SIGKILL');
}

/** The kernel package directory (…/kernel): its dist/ and src/ are the runner's own code. */
const KERNEL_ROOT = path.resolve(__dirname, '..', '..');

export function startRunnerAgent(fd: number, options: RunnerAgentOptions = {}): void {
  const workerData: RunnerAgentWorkerData = {
    fd,
    endGroupWithLink: options.endGroupWithLink ?? false,
    hiddenPaths: [path.join(KERNEL_ROOT, 'dist') + path.sep, path.join(KERNEL_ROOT, 'src') + path.sep, ...(options.hiddenPaths ?? [])],
  };
  setImmediate(() => {
    try {
      const worker = new Worker(path.join(__dirname, 'agentWorker.js'), { workerData, stdout: false, stderr: false });
      // The runner's lifetime is the runner's business: the agent never keeps it alive by itself.
      worker.unref();
      // Worker threads started by cells: the agent's session hears of them only when told. Node's
      // own (the module-hooks thread is an InternalWorker) and ours are not the user's business.
      // Announced again once it is online: 'worker' fires in the Worker constructor, before the
      // thread has registered with the inspector, and NodeWorker.enable only reports those that have.
      process.on('worker', (w) => {
        if (w === worker || w.constructor.name === 'InternalWorker') return;
        const announce = (): void => worker.postMessage({ type: 'workerStarted', threadId: w.threadId });
        announce();
        w.once('online', announce);
      });
      worker.on('error', (e) => process.stderr.write(`[tskernel agent] worker failed: ${e.message}\n`));
    } catch (e) {
      process.stderr.write(`[tskernel agent] could not start: ${(e as Error).message}\n`);
    }
  });
}
