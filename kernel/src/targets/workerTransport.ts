// A worker thread's inspector session, reached through its process's main session: CDP messages
// go out as NodeWorker.sendMessageToWorker and come back in NodeWorker.receivedMessageFromWorker
// (JSON strings from the target: parsed defensively). Closes when the worker exits, when the
// parent link closes, or when the kernel detaches from it.

import type { CdpClient } from './cdpClient';
import { BaseTransport } from './transport';

export class WorkerSessionTransport extends BaseTransport {
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly parent: CdpClient,
    readonly sessionId: string,
  ) {
    super();
    this.unsubscribe.push(
      parent.on('NodeWorker.receivedMessageFromWorker', (ev) => {
        if (ev?.sessionId !== sessionId || typeof ev.message !== 'string') return;
        let message: unknown;
        try {
          message = JSON.parse(ev.message);
        } catch {
          return;
        }
        this.deliver(message);
      }),
      parent.on('NodeWorker.detachedFromWorker', (ev) => {
        if (ev?.sessionId === sessionId) this.end();
      }),
    );
    parent.onClose(() => this.end());
  }

  send(message: object): void {
    if (this.closed) return;
    this.parent.send('NodeWorker.sendMessageToWorker', { sessionId: this.sessionId, message: JSON.stringify(message) }).catch(() => this.end());
  }

  close(): void {
    if (this.closed) return;
    if (!this.parent.isClosed) void this.parent.send('NodeWorker.detach', { sessionId: this.sessionId }).catch(() => undefined);
    this.end();
  }

  private end(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.markClosed();
  }
}
