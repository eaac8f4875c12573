// The wire's resource limits: the largest message frame a client may send, read once from
// TSKERNEL_MAX_MESSAGE_BYTES. libzmq enforces it (ZMQ_MAXMSGSIZE) while decoding a frame's
// header, before allocating the frame: an oversized frame is never read into memory, and the
// peer that sent it is disconnected (its ROUTER pipe is dropped; a client reconnects on its own).

import type { Logger } from '../common/log';

/**
 * 256 MiB per frame. Real Jupyter messages with big buffers (widget arrays, images) stay far
 * below; ipykernel has no limit at all, so this is a cap against abuse, not a format rule.
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** Heartbeat pings are a few bytes (jupyter_client sends b'ping'); anything large is abuse. */
export const HEARTBEAT_MAX_MESSAGE_BYTES = 64 * 1024;
export const MAX_MESSAGE_ENV = 'TSKERNEL_MAX_MESSAGE_BYTES';

/**
 * The per-frame limit in bytes, or -1 for none. The variable takes a byte count, optionally with
 * a K, M or G suffix (powers of 1024), or `none`; anything else falls back to the default.
 */
export function maxMessageBytes(env: NodeJS.ProcessEnv, log?: Logger): number {
  const raw = env[MAX_MESSAGE_ENV]?.trim();
  if (!raw) return DEFAULT_MAX_MESSAGE_BYTES;
  if (/^(none|unlimited|-1)$/i.test(raw)) return -1;
  const m = /^(\d+)\s*([kmg]?)i?b?$/i.exec(raw);
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m?.[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'];
  const bytes = m ? Number(m[1]) * scale : NaN;
  // libzmq takes an int64; anything below a kernel_info request's size would lock clients out.
  if (!Number.isSafeInteger(bytes) || bytes < 4096) {
    log?.warn(`${MAX_MESSAGE_ENV}=${raw} is not a byte count of at least 4096; using ${DEFAULT_MAX_MESSAGE_BYTES}`);
    return DEFAULT_MAX_MESSAGE_BYTES;
  }
  return bytes;
}
