// Newline-delimited messages split across reads: every line comes out once, whole and in order,
// however the chunks fall; empty lines are skipped.

import { LineReader } from '../../../kernel/src/common/lineReader';

function read(chunks: string[]): string[] {
  const out: string[] = [];
  const r = new LineReader((l) => out.push(l));
  for (const c of chunks) r.push(c);
  return out;
}

describe('LineReader', () => {
  it('splits lines within and across chunks', () => {
    expect(read(['a\nb', 'c\n\nd', '', 'e\nf'])).toEqual(['a', 'bc', 'de']);
    expect(read(['x', 'y', 'z\n'])).toEqual(['xyz']);
    expect(read(['\n\n', 'one\ntwo\n'])).toEqual(['one', 'two']);
  });

  it('gives the same lines for every way of cutting the stream', () => {
    const text = '{"a":1}\n{"b":"two"}\n\n{"c":[3]}\n';
    for (let i = 0; i <= text.length; i++)
      for (let j = i; j <= text.length; j++) {
        expect(read([text.slice(0, i), text.slice(i, j), text.slice(j)])).toEqual(['{"a":1}', '{"b":"two"}', '{"c":[3]}']);
      }
  });

  it('takes a 20 MB line in 64 kB reads', () => {
    const line = 'x'.repeat(20 * 2 ** 20);
    const out: string[] = [];
    const r = new LineReader((l) => out.push(l));
    for (let i = 0; i < line.length; i += 65536) r.push(line.slice(i, i + 65536));
    r.push('\nnext\n');
    expect(out.map((l) => l.length)).toEqual([line.length, 4]);
  });
});
