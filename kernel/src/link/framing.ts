// The agent link's wire format: every message is a 4-byte big-endian length followed by that many
// bytes of UTF-8 JSON. Spoken by every agent (the runner's over its pipe, a remote one over TLS) and
// by the kernel's targets. Sizes are capped: whatever arrives is untrusted input.

/** Largest accepted frame (a CDP getScriptSource of a big bundle fits comfortably). */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

export class FrameError extends Error {}

/** The body length a frame header announces, or why it is refused. */
function frameLength(head: Buffer, maxBytes: number, limitName = 'limit'): number | string {
  const len = head.readUInt32BE(0);
  return len > maxBytes ? `frame of ${len} bytes exceeds the ${maxBytes}-byte ${limitName}` : len;
}

/** A whole frame (header + body) decoded. */
function parseFrame(frame: Buffer): { value: unknown; error?: undefined } | { error: string } {
  try {
    return { value: JSON.parse(frame.toString('utf8', 4)) as unknown };
  } catch (e) {
    return { error: `malformed frame: ${(e as Error).message}` };
  }
}

/** One frame from the front of `buf` and the bytes after it (the handshake reads frame by frame). */
export function takeFrame(buf: Buffer, maxBytes: number, limitName?: string): { frame: unknown; rest: Buffer } | { need: true } | { error: string } {
  if (buf.length < 4) return { need: true };
  const len = frameLength(buf, maxBytes, limitName);
  if (typeof len === 'string') return { error: len };
  if (buf.length < 4 + len) return { need: true };
  const frame = parseFrame(buf.subarray(0, 4 + len));
  return frame.error !== undefined ? { error: frame.error } : { frame: frame.value, rest: buf.subarray(4 + len) };
}

/** Accumulates chunks and yields complete decoded messages. */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxBytes = MAX_FRAME_BYTES) {}

  push(chunk: Buffer): unknown[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: unknown[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      const len = frameLength(this.peek(4), this.maxBytes);
      if (typeof len === 'string') throw new FrameError(len);
      if (this.buffered < 4 + len) break;
      const frame = parseFrame(this.take(4 + len));
      if (frame.error !== undefined) throw new FrameError(frame.error);
      out.push(frame.value);
    }
    return out;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0].subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const frame = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return frame;
  }
}
