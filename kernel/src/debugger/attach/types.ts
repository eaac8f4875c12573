// Argument and body types of the custom attach requests (listen, listTargets, attachTarget,
// detachTarget) and of the attach events, as specified in schema/attach.schema.json. The
// %listen/%attach/%targets/%detach magics and the JupyterLab attach panel send these.

import type { DiscoveryResult } from '../../attach/discovery';

export interface ListenArguments {
  host?: string;
  port?: number;
  allowNonLoopback?: boolean;
  advertiseHost?: string;
  tokenTtlSeconds?: number;
  stop?: boolean;
}

export interface ListenBody {
  listening: boolean;
  host?: string;
  port?: number;
  fingerprint?: string;
  token?: string;
  tokenId?: string;
  expiresAt?: string;
  commands?: { import: string; require: string; api: string };
  warning?: string;
}

export interface ListTargetsArguments {
  ports?: number[];
  scanProcesses?: boolean;
}

/** `detachedTarget` reasons when the notebook itself let the target go (the others are surprises). */
export const DETACHED_BY_NOTEBOOK = 'detached by the notebook';
export const KERNEL_SHUT_DOWN = 'the kernel shut down';

export type AttachVia = 'port' | 'pid' | 'agent' | 'worker';

export interface AttachedTargetInfo {
  threadId: number;
  name: string;
  pid?: number;
  via: AttachVia;
  /** For a worker thread: the thread of the process that runs it. */
  parentThreadId?: number;
}

export interface ListTargetsBody extends DiscoveryResult {
  attached: AttachedTargetInfo[];
}

export type AttachTargetArguments =
  | { port: number; host?: string; allowNonLoopback?: boolean; targetId?: string }
  | { pid: number; inspectorPorts?: number[] }
  | { agentId: string };

export interface AttachTargetBody {
  target: AttachedTargetInfo;
  inspectorClosed?: boolean;
  warning?: string;
  elapsedMs?: number;
}

export interface DetachTargetArguments {
  threadId: number;
}

/** Custom events (debug_event) about attached targets and the listener. */
export interface AttachEvents {
  attachedTarget: AttachedTargetInfo;
  detachedTarget: { threadId: number; reason: string };
  agentWaiting: { id: string; pid: number; title: string; node: string; remoteAddress: string; connectedAt: number };
  attachRejected: { remoteAddress: string; tokenId?: string; reason: string };
}
