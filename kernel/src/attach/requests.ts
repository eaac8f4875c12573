// The TypeScript view of the attach requests (listen, listTargets, attachTarget, detachTarget),
// their replies, the discovery results and the attach events. Their rules are attach.schema.json's
// (next to this file): the kernel checks every request against it (requestSchema.ts), and the unit
// test of that checker compiles these types against what the schema accepts. No imports and no
// code: the kernel and the JupyterLab extension (labextension/src/protocol.ts, type-only) use them.

export interface InspectorEndpoint {
  id: string;
  title: string;
  url: string;
  /** ws:// URL rebuilt on the host:port we queried. */
  webSocketDebuggerUrl: string;
}

export interface NodeProcessInfo {
  pid: number;
  /** Short name for lists: `server.js (pid 4242)`. */
  label: string;
  /** The command line with secrets masked (for a tooltip), at most 300 characters. */
  command: string;
}

export interface DiscoveredInspector {
  host: string;
  port: number;
  targets: InspectorEndpoint[];
}

export interface DiscoveredAgent {
  id: string;
  pid: number;
  title: string;
  node: string;
  remoteAddress: string;
  connectedAt: number;
}

export interface DiscoveryResult {
  inspectors: DiscoveredInspector[];
  processes: NodeProcessInfo[];
  agents: DiscoveredAgent[];
}

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

export type AttachTargetArguments = { port: number; host?: string; allowNonLoopback?: boolean; targetId?: string } | { pid: number; inspectorPorts?: number[] } | { agentId: string };

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
