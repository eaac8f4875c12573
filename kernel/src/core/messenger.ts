// Builds and sends Jupyter messages on behalf of the handlers: headers with a fresh msg_id and
// the kernel's session, replies routed back to the requester's identities, IOPub publications
// with a topic, and busy/idle status parented to the request being handled.

import { randomUUID } from 'node:crypto';
import { PROTOCOL_VERSION, type Channel, type Header, type Message } from '../wire/messages';

export interface Transport {
  send(channel: Channel, msg: Message): void;
}

export class Messenger {
  readonly session = randomUUID();

  constructor(private readonly transport: Transport) {}

  header(msgType: string): Header {
    return { msg_id: randomUUID(), session: this.session, username: 'tskernel', date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
  }

  reply(channel: 'shell' | 'control' | 'stdin', parent: Message, msgType: string, content: object, metadata: Record<string, unknown> = {}): void {
    this.transport.send(channel, {
      identities: parent.identities,
      header: this.header(msgType),
      parent_header: parent.header,
      metadata,
      content: content as Record<string, unknown>,
      buffers: [],
    });
  }

  /** Publishes on IOPub; `parent` may be undefined for messages no request caused. */
  publish(parent: Partial<Header> | undefined, msgType: string, content: object, buffers: Buffer[] = []): void {
    this.transport.send('iopub', {
      identities: [Buffer.from(`kernel.${this.session}.${msgType}`)],
      header: this.header(msgType),
      parent_header: parent ?? {},
      metadata: {},
      content: content as Record<string, unknown>,
      buffers,
    });
  }

  status(parent: Partial<Header> | undefined, state: 'busy' | 'idle' | 'starting'): void {
    this.publish(parent, 'status', { execution_state: state });
  }
}
