// The agent link's wire format: every message is a 4-byte big-endian length followed by that many
// bytes of UTF-8 JSON. Used by the runner's agent worker and the kernel's targets alike, so a
// remote agent can later speak the same framing over TLS. Sizes are capped: whatever arrives is
// untrusted input.

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
      const head = this.peek(4);
      const len = head.readUInt32BE(0);
      if (len > this.maxBytes) throw new FrameError(`frame of ${len} bytes exceeds the ${this.maxBytes}-byte limit`);
      if (this.buffered < 4 + len) break;
      const frame = this.take(4 + len);
      try {
        out.push(JSON.parse(frame.toString('utf8', 4)));
      } catch (e) {
        throw new FrameError(`malformed frame: ${(e as Error).message}`);
      }
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
