// spawnWorker for the single-file agent (tskernel-agent.cjs): scripts/build-agent.mjs bundles
// remoteWorker.ts into a string and substitutes it for __TSKERNEL_AGENT_WORKER_CODE__, and this
// module for spawnWorker.ts. The worker then runs from that string (eval), so the agent is one
// file to copy next to an app. Never used from the kernel's own dist.

import * as path from 'node:path';
import { Worker, type TransferListItem, type WorkerOptions } from 'node:worker_threads';

declare const __TSKERNEL_AGENT_WORKER_CODE__: string | undefined;

/**
 * remote.ts hides `<its folder>/..` from stacks: right for a package (the package's folder), wrong
 * for one file copied next to the app (that would hide the app's own folder's parent, app
 * included). Here the agent's own code is exactly this file: swap that entry wherever
 * `hiddenPaths` travels to the worker (workerData or a message).
 */
const PACKAGE_DIR = path.resolve(__dirname, '..') + path.sep;

function ownCodeHidden(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('hiddenPaths' in value) || !Array.isArray(value.hiddenPaths)) return value;
  const hiddenPaths: unknown[] = value.hiddenPaths.map((p: unknown) => (p === PACKAGE_DIR ? __filename : p));
  return { ...value, hiddenPaths };
}

class EmbeddedAgentWorker extends Worker {
  override postMessage(value: unknown, transferList?: readonly TransferListItem[]): void {
    super.postMessage(ownCodeHidden(value), transferList);
  }
}

export function spawnWorker(options: WorkerOptions): Worker {
  if (typeof __TSKERNEL_AGENT_WORKER_CODE__ !== 'string') throw new Error('spawnWorkerEmbedded is only usable inside the bundled tskernel-agent.cjs');
  return new EmbeddedAgentWorker(__TSKERNEL_AGENT_WORKER_CODE__, { ...options, eval: true, workerData: ownCodeHidden(options.workerData) });
}
