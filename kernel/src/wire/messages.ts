// Jupyter message envelope types (messaging protocol 5.5) and the channel names, as they arrive
// off the wire: msg_type is any string and content any JSON object, because nothing from a socket
// is trusted. The shapes of what the kernel sends are keyed by msg_type in core/protocol.ts (built
// on @jupyterlab/services' KernelMessage types); request content is checked in core/requestChecks.ts.

export type Channel = 'shell' | 'control' | 'stdin' | 'iopub';

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
  subshell_id?: string | null;
}

export interface Message<C = Record<string, unknown>> {
  /** ZeroMQ routing identities (ROUTER sockets) or the topic (IOPub). */
  identities: Buffer[];
  header: Header;
  /** Empty object for messages without a parent. */
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

export const PROTOCOL_VERSION = '5.5';
