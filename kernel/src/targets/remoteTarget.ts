// An attached process as a debug target (ITarget): a CdpClient over an agent link (dial-back or
// injected by pid) or over an inspector WebSocket (by port). The DAP adapter gives it a thread id
// above 1; after that it is driven exactly like the notebook's runner.

import type { AgentHello } from '../link/protocol';
import { CdpClient } from './cdpClient';
import type { ITarget } from './target';
import type { ITransport } from './transport';
import { within } from '../common/deadline';

const HELLO_GRACE_MS = 2000;

export interface RemoteTargetOptions {
  threadId: number;
  name: string;
  pid?: number;
  /** Agent links announce themselves with Agent.hello; a plain inspector never does. */
  expectHello: boolean;
  /** Reached over loopback or by pid: it shares this host's files. */
  onThisHost: boolean;
  /** Host code paths known up front (a worker inherits its process's). */
  hiddenPaths?: readonly string[];
}

export class RemoteTarget implements ITarget {
  readonly threadId: number;
  /** Mutable: a by-port target learns its pid (and so its full name) after connecting. */
  name: string;
  pid?: number;
  readonly onThisHost: boolean;
  readonly cdp: CdpClient;
  private hidden: string[] = [];
  private agentThread: number | undefined;
  private readonly helloSeen: Promise<void>;

  constructor(transport: ITransport, options: RemoteTargetOptions) {
    this.threadId = options.threadId;
    this.name = options.name;
    this.pid = options.pid;
    this.onThisHost = options.onThisHost;
    this.hidden = [...(options.hiddenPaths ?? [])];
    this.cdp = new CdpClient(transport);
    this.helloSeen = !options.expectHello
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          this.cdp.onAny((method, params) => {
            if (method !== 'Agent.hello') return;
            const p = params as Partial<AgentHello['params']> | undefined;
            // Untrusted: keep only a few short absolute path strings.
            if (Array.isArray(p?.hiddenPaths)) {
              this.hidden = p.hiddenPaths.filter((x): x is string => typeof x === 'string' && x.length < 1024 && /^(\/|[A-Za-z]:\\)/.test(x)).slice(0, 16);
            }
            if (Number.isSafeInteger(p?.agentThreadId)) this.agentThread = p?.agentThreadId;
            resolve();
          });
          this.cdp.onClose(resolve);
        });
  }

  hiddenPaths(): readonly string[] {
    return this.hidden;
  }

  agentThreadId(): number | undefined {
    return this.agentThread;
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
