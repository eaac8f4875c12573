// needsTypeCheck: the main-thread scan that lets the kernel skip type checks of cells where no
// type error is possible. False only for literal arithmetic, empty, comment- and magic-only cells.

import { needsTypeCheck } from '../../../kernel/src/lang/service';

describe('needsTypeCheck', () => {
  it.each([
    '',
    '   \n\t',
    '// just a comment',
    '/* block\n comment */',
    '%time',
    '%%bash\nls -la',
    '1 + 1',
    '1 + 1;',
    '"a" + 2',
    "'a' + `b` + 3",
    '(2 ** 10) % 7 - 0x1f * 0b10 / 1_000.5e3',
    '-1 + +2',
    '1\n2',
    '1 + 1; 2 * 3;;',
    '1 +\n2',
    '%time\n1 + 1 // sum',
    '"\\n\\t\\"" + 1',
    '.5 >> 1 >>> 2 << 3 & 4 | 5 ^ 6',
  ])('false for %j', (code) => {
    expect(needsTypeCheck(code)).toBe(false);
  });

  it.each([
    'x',
    'x + 1',
    'console.log(1)',
    '1 + x',
    'true + 1',
    'null',
    '"a" * 2',
    '"a" - 1',
    '-"a"',
    '1 < 2',
    '1 === 2',
    '!1',
    '1, 2',
    '1n + 1',
    '07',
    '1..toFixed()',
    '1\n(2)',
    '1 2',
    '1 +',
    '(1',
    '()',
    '-2 ** 2',
    '++1',
    '1 += 2',
    '`${x}`',
    '"\\u0041" + 1',
    '"\\1"',
    '"unterminated',
    '/* unterminated',
    '/re/',
    'const a = 1',
    '{}',
  ])('true for %j', (code) => {
    expect(needsTypeCheck(code)).toBe(true);
  });

  it('is conservative for very long cells and fast for typical ones', () => {
    expect(needsTypeCheck('1 + '.repeat(5000) + '1')).toBe(true);
    const t = performance.now();
    for (let i = 0; i < 1000; i++) needsTypeCheck(`${i} + ${i} * 2`);
    expect((performance.now() - t) / 1000).toBeLessThan(1);
  });
});
