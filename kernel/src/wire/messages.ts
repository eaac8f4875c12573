// Jupyter message envelope types (messaging protocol 5.5) and the channel names. Content shapes
// for the requests and replies the kernel handles are keyed by msg_type in `contents.ts`.

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
