// Messages on the agent link besides relayed CDP traffic. CDP commands/results/events pass through
// unchanged ({id, method, params} / {id, result|error} / {method, params}); the agent adds one
// `Agent.hello` event when it is ready, describing itself, `Agent.output` for the process's
// stdout/stderr, and `Agent.workerStarted` when the process starts a worker thread. The kernel
// sends `Agent.ping` (no id, no reply) every few seconds: a remote agent that stops hearing
// anything from the kernel releases the target (relay.ts, keepaliveTimeoutMs).

export interface AgentHello {
  method: 'Agent.hello';
  params: {
    pid: number;
    node: string;
    /** Absolute path prefixes of the host's own code: hidden from stacks and never stepped into. */
    hiddenPaths: string[];
    /** The agent's own worker thread: never shown as a thread of the process, whatever its file (an eval'd single-file agent has none). */
    agentThreadId?: number;
  };
}

/** The kernel's keepalive frame: `{ method: 'Agent.ping' }`. */
export const AGENT_PING = 'Agent.ping';

export interface CdpCommandMessage {
  id: number;
  method: string;
  params?: object;
}

export interface CdpResultMessage {
  id: number;
  result?: unknown;
  error?: { code: number; message: string };
}

export interface CdpEventMessage {
  method: string;
  params?: unknown;
}

export interface AgentWorkerData {
  fd: number;
  hiddenPaths: string[];
}
