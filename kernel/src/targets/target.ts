// A debug target: one JavaScript thread reachable over CDP. The notebook's runner is thread 1;
// attached processes (by port, by pid, or an agent that dialed back) and their workers are further threads. The adapter only ever sees ITarget,
// so a remote process is "just another target".

import type { CdpClient } from './cdpClient';

export interface ITarget {
  /** The DAP thread id (1 = the notebook runner). */
  readonly threadId: number;
  /** Shown in DAP `threads`. */
  readonly name: string;
  /** The process id of the target, when known. */
  readonly pid?: number;
  /** The target runs on this host (its file paths are ours): source maps are read locally. */
  readonly onThisHost: boolean;
  readonly cdp: CdpClient;
  /** Absolute path prefixes of host code (kernel runner, agent): hidden from stacks and skipped when stepping. */
  hiddenPaths(): readonly string[];
  /** The worker thread id of the agent relaying this target (from its Agent.hello), if any: never a user thread. */
  agentThreadId(): number | undefined;
  /** Resolves when the agent said hello (or a short grace period passed). */
  ready(): Promise<void>;
  onClose(listener: () => void): void;
  close(): void;
}
