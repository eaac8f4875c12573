// The stdin channel: input_request to the frontend that sent a cell, and the pending answer per
// session until its input_reply arrives (or an interrupt cancels every pending one).

import { logger } from '../common/log';
import type { Message } from '../wire/messages';
import type { Messenger } from './messenger';

const log = logger('core');

interface Waiter {
  resolve: (v: string) => void;
  reject: (e: Error) => void;
}

export class InputWaiters {
  private readonly waiters = new Map<string, Waiter>();

  constructor(private readonly messenger: Messenger) {}

  /** Asks the frontend that sent `parentMsg` for input on the stdin channel. */
  request(parentMsg: Message, prompt: string, password: boolean): Promise<string> {
    return new Promise((resolve, reject) => {
      this.messenger.inputRequest(parentMsg, { prompt, password });
      this.waiters.set(parentMsg.header.session, { resolve, reject });
    });
  }

  /** Fails every pending input request (interrupt). */
  cancel(reason: string): void {
    for (const w of this.waiters.values()) w.reject(new Error(reason));
    this.waiters.clear();
  }

  /** A message on stdin: an input_reply answers its session's request (or the only one pending). */
  receive(msg: Message): void {
    if (msg.header.msg_type !== 'input_reply') {
      log.warn(`ignored ${msg.header.msg_type} on stdin`);
      return;
    }
    const w = this.waiters.get(msg.header.session) ?? this.waiters.values().next().value;
    if (!w) return;
    for (const [k, v] of this.waiters) if (v === w) this.waiters.delete(k);
    const value = msg.content.value;
    w.resolve(typeof value === 'string' ? value : String(value ?? ''));
  }
}
