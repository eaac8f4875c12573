// The notebook runner as a debug target (thread 1): a CDP client over the runner's agent pipe.

import * as path from 'node:path';
import type { AgentHello } from '../link/protocol';
import { CdpClient } from './cdpClient';
import type { ITarget } from './target';
import { StreamTransport } from './transport';
import type { Duplex } from 'node:stream';
import { within } from '../common/deadline';

const KERNEL_ROOT = path.resolve(__dirname, '..', '..');
/** How long a new runner's agent gets to say hello before the session goes on without it. */
const HELLO_GRACE_MS = 2000;

export class RunnerTarget implements ITarget {
  readonly onThisHost = true;
  readonly threadId = 1;
  readonly name: string;
  readonly cdp: CdpClient;
  private hidden: string[] = [path.join(KERNEL_ROOT, 'dist') + path.sep, path.join(KERNEL_ROOT, 'src') + path.sep];
  private readonly helloSeen: Promise<void>;
  /** Worker threads that cells started (announced by the agent): the others are the runner's own. */
  readonly userWorkers = new Set<string>();

  constructor(
    stream: Duplex,
    readonly pid: number,
  ) {
    this.name = `Notebook (runner pid ${pid})`;
    this.cdp = new CdpClient(new StreamTransport(stream));
    this.cdp.onAny((method, params) => {
      const id = (params as { threadId?: unknown } | undefined)?.threadId;
      if (method === 'Agent.workerStarted' && typeof id === 'number') this.userWorkers.add(String(id));
    });
    this.helloSeen = new Promise<void>((resolve) => {
      this.cdp.onAny((method, params) => {
        if (method !== 'Agent.hello') return;
        const p = params as AgentHello['params'];
        if (Array.isArray(p?.hiddenPaths)) this.hidden = [...new Set([...this.hidden, ...p.hiddenPaths.filter((x) => typeof x === 'string')])];
        resolve();
      });
      this.cdp.onClose(resolve);
    });
  }

  hiddenPaths(): readonly string[] {
    return this.hidden;
  }

  agentThreadId(): number | undefined {
    return undefined; // the runner shows only the workers its cells started (userWorkers)
  }

  ready(): Promise<void> {
    return within(this.helloSeen, HELLO_GRACE_MS);
  }

  onClose(listener: () => void): void {
    this.cdp.onClose(listener);
  }

  close(): void {
    this.cdp.close();
  }
}
