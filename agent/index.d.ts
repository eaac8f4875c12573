// Types of @tskernel/agent (the bundle in dist/ is built from kernel/src/agent/remote.ts; keep
// these in step with its exported AttachOptions, AgentHandle and attach).

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

/** Connects this process to the notebook that printed `token` (`%listen`). Rejects with a readable reason. */
export declare function attach(token: string, options?: AttachOptions): Promise<AgentHandle>;
