// Starts the remote agent's worker thread (remoteWorker.ts). One seam, so that the single-file
// agent (`tskernel agent-file`, built by scripts/build-agent.mjs) can swap this module for
// spawnWorkerEmbedded.ts, which carries the worker's code inside the one file. Here, in the
// kernel's dist and in the @tskernel/agent package, the worker is the file next to this one.

import * as path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function spawnWorker(options: WorkerOptions): Worker {
  return new Worker(path.join(__dirname, 'remoteWorker.js'), options);
}
