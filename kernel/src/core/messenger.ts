// Builds and sends Jupyter messages on behalf of the handlers: headers with a fresh msg_id and
// the kernel's session, replies routed back to the requester's identities, IOPub publications
// with a topic, and busy/idle status parented to the request being handled. Content is checked
// per msg_type against protocol.ts (KernelMessage's content types).

import { randomUUID } from 'node:crypto';
import { PROTOCOL_VERSION, type Channel, type Header, type Message } from '../wire/messages';
import type { ErrorReply, InputRequest, IOPubMap, IOPubType, ReplyMap, RequestType } from './protocol';

export interface WireSender {
  send(channel: Channel, msg: Message): void;
}

export type ReplyChannel = 'shell' | 'control' | 'stdin';

export class Messenger {
  readonly session = randomUUID();

  constructor(private readonly wire: WireSender) {}

  header(msgType: string): Header {
    return { msg_id: randomUUID(), session: this.session, username: 'tskernel', date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
  }

  /** The reply to `request` (msg_type `x_request` -> `x_reply`), its content checked for that type. */
  replyTo<K extends RequestType>(channel: ReplyChannel, request: Message, requestType: K, content: ReplyMap[K]): void {
    this.send(channel, request, requestType.replace(/_request$/, '_reply'), { ...content }, {});
  }

  /** Asks the frontend that sent `parent` for input (stdin channel). */
  inputRequest(parent: Message, content: InputRequest): void {
    this.send('stdin', parent, 'input_request', { ...content }, {});
  }

  /** An error reply to a request type the kernel has no handler (and so no reply type) for. */
  replyError(channel: ReplyChannel, parent: Message, msgType: string, content: ErrorReply): void {
    this.send(channel, parent, msgType, { ...content }, {});
  }

  /** Publishes on IOPub; `parent` may be undefined for messages no request caused. */
  publish<T extends IOPubType>(parent: Partial<Header> | undefined, msgType: T, content: IOPubMap[T], buffers: Buffer[] = []): void {
    this.wire.send('iopub', {
      identities: [Buffer.from(`kernel.${this.session}.${msgType}`)],
      header: this.header(msgType),
      parent_header: parent ?? {},
      metadata: {},
      content: { ...content },
      buffers,
    });
  }

  status(parent: Partial<Header> | undefined, state: 'busy' | 'idle' | 'starting'): void {
    this.publish(parent, 'status', { execution_state: state });
  }

  private send(channel: ReplyChannel, parent: Message, msgType: string, content: Record<string, unknown>, metadata: Record<string, unknown>): void {
    this.wire.send(channel, { identities: parent.identities, header: this.header(msgType), parent_header: parent.header, metadata, content, buffers: [] });
  }
}
