// Starts the in-runner debug agent: a worker thread (agentWorker.ts) holding an inspector session
// connected to this (the runner's) main thread, relaying CDP over the given fd, and tells it of
// every worker thread a cell starts. Called early by the runner; it returns at once and never
// delays startup. No inspector port is ever opened.

import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AgentWorkerData } from './protocol';

export interface RunnerAgentOptions {
  /** Extra path prefixes of host code to hide from stacks (the kernel's own code is always hidden). */
  hiddenPaths?: string[];
}

/** The kernel package directory (…/kernel): its dist/ and src/ are the runner's own code. */
const KERNEL_ROOT = path.resolve(__dirname, '..', '..');

export function startRunnerAgent(fd: number, options: RunnerAgentOptions = {}): void {
  const workerData: AgentWorkerData = {
    fd,
    hiddenPaths: [path.join(KERNEL_ROOT, 'dist') + path.sep, path.join(KERNEL_ROOT, 'src') + path.sep, ...(options.hiddenPaths ?? [])],
  };
  setImmediate(() => {
    try {
      const worker = new Worker(path.join(__dirname, 'agentWorker.js'), { workerData, stdout: false, stderr: false });
      // The runner's lifetime is the runner's business: the agent never keeps it alive by itself.
      worker.unref();
      // Worker threads started by cells: the agent's session hears of them only when told. Node's
      // own (the module-hooks thread is an InternalWorker) and ours are not the user's business.
      process.on('worker', (w) => {
        if (w !== worker && w.constructor.name !== 'InternalWorker') worker.postMessage({ type: 'workerStarted', threadId: w.threadId });
      });
      worker.on('error', (e) => process.stderr.write(`[tskernel agent] worker failed: ${e.message}\n`));
    } catch (e) {
      process.stderr.write(`[tskernel agent] could not start: ${(e as Error).message}\n`);
    }
  });
}
