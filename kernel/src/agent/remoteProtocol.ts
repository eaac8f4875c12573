// Messages between the remote agent's main-thread API (remote.ts) and its worker (remoteWorker.ts).
// The worker is started once per process and reused: every attach is an `attach` message, and
// each one ends with exactly one `failed` or `closed`, after which the worker waits for the next.

import type { AgentInfo } from '../link/handshake';

/** Fixed for the worker's lifetime (spawnWorkerEmbedded.ts rewrites hiddenPaths for the single file). */
export interface RemoteWorkerData {
  /** The agent's own code, hidden from stacks on every link. */
  hiddenPaths: string[];
}

export interface AttachRequest {
  type: 'attach';
  token: string;
  /** The host's extra paths to hide on this link (AttachOptions.hiddenPaths). */
  hiddenPaths: string[];
  info: AgentInfo;
  /** Release the target when the kernel has said nothing for this long; 0 disables. */
  keepaliveTimeoutMs: number;
}

export type AgentToMain = { type: 'linked'; host: string; port: number } | { type: 'failed'; reason: string } | { type: 'closed'; reason: string };

export type MainToAgent = AttachRequest | { type: 'output'; stream: 'stdout' | 'stderr'; text: string } | { type: 'detach' } | { type: 'workerStarted'; threadId: number };
