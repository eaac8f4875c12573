// MurmurHash2 (32-bit, Austin Appleby) over the UTF-8 bytes of a string: the exact function
// JupyterLab's debugger uses to name cells (packages/debugger/src/hash.ts), so the kernel and
// the browser compute the same cell file path for the same code.

const M = 0x5bd1e995;

export function murmur2(text: string, seed: number): number {
  const bytes = Buffer.from(text, 'utf8');
  let n = bytes.length;
  let h = (seed ^ n) >>> 0;
  let i = 0;
  while (n >= 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
    i += 4;
    n -= 4;
  }
  if (n === 3) h ^= bytes[i + 2] << 16;
  if (n >= 2) h ^= bytes[i + 1] << 8;
  if (n >= 1) {
    h ^= bytes[i];
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h >>> 0;
}
