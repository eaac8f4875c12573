// MurmurHash2 against worked examples cross-checked with JupyterLab's hash.ts (@jupyterlab/debugger)
// and ipykernel's murmur2_x86, the cell paths built from it, and how CellFiles merges what it records.

import { CellFiles, HASH_SEED } from '../../kernel/src/common/cellFiles';
import { murmur2 } from '../../kernel/src/common/murmur2';

const SEED = 3339675911;

test('seed is ipykernel/xeus 0xC70F6907', () => {
  expect(HASH_SEED).toBe(SEED);
});

test.each([
  ['', 3990065800],
  ['abc', 3350977461],
  ['abcd', 804720481],
  ['i = 0', 3033251095],
  ['console.log("hi")', 210838529],
  ['function add(a, b) {\n  const c = a + b;\n  return c;\n}\nadd(2, 3);', 3472519132],
  ["const s = 'héllo ✓ 🚀';", 800538718],
  ['let a = 1;\r\nlet b = 2;', 823674240],
  ['i=0\ni+=1\ni+=1', 176828351],
  ['i = 0\ni += 1\ni += 1\nj = i**2\nj += 1\nprint(i, j)', 3392473904],
  ['def f(a, b):\n    c = a + b\n    return c\n\nf(2, 3)', 1440027060],
])('murmur2(%j) = %d', (code, expected) => {
  expect(murmur2(code, SEED)).toBe(expected);
});

test('intermediate example values (final hashes in hex)', () => {
  expect(murmur2('abc', SEED)).toBe(0xc7bbdbb5);
  expect(murmur2('abcd', SEED)).toBe(0x2ff70f61);
  expect(murmur2('i = 0', SEED)).toBe(0xb4cbbd17);
});

test('seed 0 and lone surrogates (encoded as U+FFFD like TextEncoder)', () => {
  expect(murmur2('\ud800', SEED)).toBe(murmur2('\ufffd', SEED));
  expect(murmur2('abc', 0)).not.toBe(murmur2('abc', SEED));
});

test('cell paths: prefix + decimal hash + suffix', () => {
  const cells = new CellFiles('javascript', 4242, '/tmp');
  expect(cells.prefix).toBe('/tmp/tskernel_ipykernel_4242/');
  expect(cells.pathFor('abc')).toBe('/tmp/tskernel_ipykernel_4242/3350977461.js');
  expect(new CellFiles('typescript', 1, '/tmp').pathFor('')).toBe('/tmp/tskernel_ipykernel_1/3990065800.ts');
});

describe('CellFiles.record', () => {
  it('merges: fields given replace the old ones (also as undefined), the others are kept', () => {
    const cells = new CellFiles('typescript', 1, '/tmp');
    const path = cells.pathFor('let x: number = 1');
    cells.record({ path, source: 'let x: number = 1', map: '{"version":3}', wrapperColumn: 4, executionCount: 1 });
    // dumpCell of the same code records the source alone: the run's map and count stay.
    cells.record({ path, source: 'let x: number = 1' });
    expect(cells.get(path)).toEqual({ path, source: 'let x: number = 1', map: '{"version":3}', wrapperColumn: 4, executionCount: 1 });
    // A later run whose transform moved nothing has no map.
    cells.record({ path, source: 'let x: number = 1', map: undefined, wrapperColumn: undefined, executionCount: 2 });
    expect(cells.get(path)).toEqual({ path, source: 'let x: number = 1', executionCount: 2 });
    expect(cells.get(path)?.map).toBeUndefined();
  });
});
