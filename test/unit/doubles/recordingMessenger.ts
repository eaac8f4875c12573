// A real Messenger over an in-memory wire that records every message the kernel sends, with
// helpers to read them back the way a frontend sees them (channel, msg_type, parent, content).

import { Messenger, type WireSender } from '../../../kernel/src/core/messenger';
import type { Channel, Message } from '../../../kernel/src/wire/messages';

export interface Sent {
  channel: Channel;
  msg: Message;
}

export class RecordingWire implements WireSender {
  readonly sent: Sent[] = [];
  private waiters: Array<{ match: (s: Sent) => boolean; resolve: (s: Sent) => void }> = [];

  send(channel: Channel, msg: Message): void {
    const s = { channel, msg };
    this.sent.push(s);
    for (const w of this.waiters.filter((x) => x.match(s))) {
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve(s);
    }
  }

  /** The first sent message (already sent or future) that matches, or a rejection after `ms`. */
  waitFor(match: (s: Sent) => boolean, ms = 2000): Promise<Sent> {
    const already = this.sent.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a kernel message')), ms);
      this.waiters.push({ match, resolve: (s) => (clearTimeout(timer), resolve(s)) });
    });
  }
}

export function recordingMessenger(): { messenger: Messenger; wire: RecordingWire } {
  const wire = new RecordingWire();
  return { messenger: new Messenger(wire), wire };
}

/** `status:busy`, `execute_input`, `execute_reply`... for messages parented to `msgId` (all when omitted). */
export function trace(t: RecordingWire, msgId?: string): string[] {
  return t.sent
    .filter((s) => msgId === undefined || s.msg.parent_header.msg_id === msgId)
    .map((s) => (s.msg.header.msg_type === 'status' ? `status:${String(s.msg.content.execution_state)}` : s.msg.header.msg_type));
}

let counter = 0;

/** A request as the wire layer hands it to the core. */
export function request(msgType: string, content: Record<string, unknown> = {}, session = 'frontend-session'): Message {
  counter++;
  return {
    identities: [Buffer.from(`client-${counter}`)],
    header: { msg_id: `req-${counter}`, session, username: 'test', date: new Date().toISOString(), msg_type: msgType, version: '5.5' },
    parent_header: {},
    metadata: {},
    content,
    buffers: [],
  };
}

/** The reply sent for `req` (by parent msg_id, on shell/control/stdin). */
export function replyTo(t: RecordingWire, req: Message): Message | undefined {
  return t.sent.find((s) => s.channel !== 'iopub' && s.msg.parent_header.msg_id === req.header.msg_id && s.msg.header.msg_type.endsWith('_reply'))?.msg;
}
