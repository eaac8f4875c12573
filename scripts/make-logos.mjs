// Writes the kernelspec logos (kernel/kernelspec-assets): SVG plus 32x32 and 64x64 PNGs of a
// rounded square with "TS" or "JS" in a 5x7 pixel font. Run once; the outputs are committed.
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const FONT = {
  T: ['11111', '00100', '00100', '00100', '00100', '00100', '00100'],
  S: ['01111', '10000', '10000', '01110', '00001', '00001', '11110'],
  J: ['00111', '00010', '00010', '00010', '00010', '10010', '01100'],
};
const COLORS = { ts: [49, 120, 198], js: [240, 219, 79] };
const INK = { ts: [255, 255, 255], js: [50, 51, 48] };

function crc32(buf) {
  let c,
    crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, kind) {
  const text = kind === 'ts' ? 'TS' : 'JS';
  const scale = Math.floor(size / 16);
  const textW = (5 * 2 + 1) * scale,
    textH = 7 * scale;
  const ox = size - textW - 2 * scale,
    oy = size - textH - 2 * scale;
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = [0];
    for (let x = 0; x < size; x++) {
      const r = size / 8,
        cx = Math.min(Math.max(x, r), size - 1 - r),
        cy = Math.min(Math.max(y, r), size - 1 - r);
      const inside = (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
      let px = inside ? [...COLORS[kind], 255] : [0, 0, 0, 0];
      const tx = Math.floor((x - ox) / scale),
        ty = Math.floor((y - oy) / scale);
      if (inside && ty >= 0 && ty < 7 && tx >= 0 && tx < 11 && tx !== 5) {
        const ch = FONT[text[tx < 5 ? 0 : 1]],
          col = tx < 5 ? tx : tx - 6;
        if (ch[ty][col] === '1') px = [...INK[kind], 255];
      }
      row.push(...px);
    }
    rows.push(Buffer.from(row));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}
const dir = new URL('../kernel/kernelspec-assets/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const kind of ['ts', 'js']) {
  for (const size of [32, 64]) writeFileSync(new URL(`${kind}-${size}x${size}.png`, dir), png(size, kind));
  const [r, g, b] = COLORS[kind],
    [ir, ig, ib] = INK[kind];
  writeFileSync(
    new URL(`${kind}.svg`, dir),
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="8" fill="rgb(${r},${g},${b})"/><text x="58" y="56" text-anchor="end" font-family="Segoe UI, Helvetica, Arial, sans-serif" font-weight="700" font-size="30" fill="rgb(${ir},${ig},${ib})">${kind.toUpperCase()}</text></svg>\n`,
  );
}
