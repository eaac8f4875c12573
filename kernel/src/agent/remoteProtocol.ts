// Messages between the remote agent's main-thread API (remote.ts) and its worker (remoteWorker.ts).

import type { AgentInfo } from '../attach/handshake';

export interface RemoteWorkerData {
  token: string;
  hiddenPaths: string[];
  info: AgentInfo;
}

export type AgentToMain =
  | { type: 'linked'; host: string; port: number }
  | { type: 'failed'; reason: string }
  | { type: 'closed'; reason: string };

export type MainToAgent = { type: 'output'; stream: 'stdout' | 'stderr'; text: string } | { type: 'detach' } | { type: 'workerStarted'; threadId: number };
