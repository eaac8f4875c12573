// Frames <-> Message: splits ZeroMQ multipart frames at the `<IDS|MSG>` delimiter, verifies the
// signature, parses the four JSON parts, and keeps binary buffers raw; serializes the reverse.

import type { Message } from './messages';
import type { Signer } from './signature';

const DELIMITER = Buffer.from('<IDS|MSG>');

export class WireFrameError extends Error {}

export function decode(frames: Buffer[], signer: Signer): Message {
  const at = frames.findIndex((f) => f.equals(DELIMITER));
  if (at < 0) throw new WireFrameError('no <IDS|MSG> delimiter');
  if (frames.length < at + 6) throw new WireFrameError(`expected at least 5 frames after the delimiter, got ${frames.length - at - 1}`);
  const identities = frames.slice(0, at);
  const signature = frames[at + 1].toString('ascii');
  const parts = frames.slice(at + 2, at + 6);
  const problem = signer.verify(signature, parts);
  if (problem) throw new WireFrameError(problem);
  const [header, parent, metadata, content] = parts.map((p, i) => parseJson(p, ['header', 'parent_header', 'metadata', 'content'][i]));
  if (!header || typeof header.msg_type !== 'string' || typeof header.msg_id !== 'string') {
    throw new WireFrameError('header lacks msg_type or msg_id');
  }
  return {
    identities,
    header: header as unknown as Message['header'],
    parent_header: parent,
    metadata,
    content,
    buffers: frames.slice(at + 6),
  };
}

function parseJson(buf: Buffer, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(buf.toString('utf8'));
  } catch {
    throw new WireFrameError(`${what} is not valid JSON`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new WireFrameError(`${what} is not a JSON object`);
  return v as Record<string, unknown>;
}

export function encode(msg: Message, signer: Signer): Buffer[] {
  const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((p) => Buffer.from(JSON.stringify(p), 'utf8'));
  return [...msg.identities, DELIMITER, Buffer.from(signer.sign(parts), 'ascii'), ...parts, ...msg.buffers];
}
