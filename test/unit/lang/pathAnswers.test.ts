// Kept answers for `path.` completion and hover on a path: which requests qualify (the text
// reader must never call a cell "plain" when its other text could change the answer) and which
// added cells drop which answers.

import { inspectRequest, memberRequest } from '../../../kernel/src/lang/pathContext';
import { PathAnswers } from '../../../kernel/src/lang/pathAnswers';
import { LanguageService } from '../../../kernel/src/lang/service';
import type { CompletionResult, InspectResult } from '../../../kernel/src/lang/service/protocol';
import { makeNotebookDir, removeDir } from './fixture';

const at = (code: string): [string, number] => [code.replace('|', ''), code.indexOf('|')];
const member = (code: string) => memberRequest(...at(code));
const hover = (code: string) => inspectRequest(...at(code), 0);

describe('member completion requests', () => {
  test.each([
    ['arr.fil|', 'member arr', 'fil'],
    ['console.lo|', 'member console', 'lo'],
    ['Math.|', 'member Math', ''],
    ['const n = 1;\nprocess.env.HO|', 'member process.env', 'HO'],
    ['foo(arr.fil|)', 'member arr', 'fil'],
    ['return arr . fi|', 'member arr', 'fi'],
    ['const x: number[] = arr.fil|', 'member arr', 'fil'],
    ['f(1, arr.fil|)', 'member arr', 'fil'],
    ['const a = [1, arr.le|]', 'member arr', 'le'],
  ])('%j completes members of a plain path', (code, key, prefix) => {
    expect(member(code)).toMatchObject({ key, prefix, deps: [key.split(' ')[1].split('.')[0]] });
  });

  test.each([
    ['const arr = [1];\narr.fil|', 'the root is (re)declared in the cell'],
    ['function f(arr: string) { return arr.le| }', 'a parameter shadows it'],
    ["'arr.fil|'", 'inside a string'],
    ['// arr.fil|', 'inside a comment'],
    ['/* arr.fil| */', 'inside a block comment'],
    ['`${arr.fil|}`', 'template literal'],
    ['x = /a"/.test(s); arr.fil|', 'a regular expression before it'],
    ['let t: Foo.Ba|', 'type position after a colon'],
    ['type T = Foo.Ba|', 'type alias'],
    ['let m: Map<string, Foo.Ba|', 'type arguments'],
    ['let t: [string, Foo.Ba|', 'tuple type'],
    ['foo().arr.fil|', 'a longer receiver'],
    ['a[0].fil|', 'an indexed receiver'],
    ['interface Array<T> { x: 1 }\narr.fil|', 'merges into a global type'],
    ["import { x } from 'y';\narr.fil|", 'an import in the cell'],
    ['this.fil|', 'this'],
    ['%time\narr.fil|', 'a magic line'],
    ['const s = "é";\narr.fil|', 'non-ASCII text'],
    ['x => arr.fil|', 'after an arrow (could be a function type)'],
    ['a < arr.le|', 'after <'],
    ['function f(a, arr.|', 'parameters'],
  ])('%j is not plain: %s', (code) => {
    expect(member(code)).toBeUndefined();
  });
});

describe('hover requests', () => {
  test.each([
    ['twi|ce(2)', 'inspect 0 twice(2)', ['twice']],
    ['twice|(2)', 'inspect 0 twice(2)', ['twice']],
    ['Math.ma|x(1, 2)', 'inspect 0 Math.max(1, 2)', ['Math']],
    ['te|xt.length', 'inspect 0 text', ['text']],
    ['text.len|gth', 'inspect 0 text.length', ['text']],
    ['f(x|s)', 'inspect 0 f.xs', undefined],
    ['new Fo|o(a)', 'inspect 0 new Foo(a)', ['Foo', 'a']],
  ])('%j', (code, key, deps) => {
    const r = hover(code);
    if (deps === undefined) return expect(r?.key).not.toBe(key);
    expect(r).toEqual({ key, deps });
  });

  test.each([
    ['const a = 1; twi|ce(a)', 'an argument declared in the cell'],
    ['const tw|ice = 1', 'a declaration'],
    ['let x: Fo|o', 'a type'],
    ['twi|ce<number>(2)', 'explicit type arguments'],
    ['twi|ce((x) => x)', 'a callback argument (contextual types)'],
    ['function f(text: string) { return te|xt }', 'a parameter'],
  ])('%j is not plain: %s', (code) => {
    expect(hover(code)).toBeUndefined();
  });
});

describe('PathAnswers', () => {
  const list = (names: string[]): CompletionResult => {
    const items = names.map((name) => ({ name, kind: 'method', signature: `${name}()`, sortText: '11' }));
    return { items, start: 0, end: 0, members: items };
  };
  const info: InspectResult = { found: true, signature: 'function twice(n: number): number', documentation: '', tags: [], kind: 'function' };
  const ready = (): PathAnswers => {
    const p = new PathAnswers();
    p.setGlobalTypes(['Array', 'Math']);
    return p;
  };

  test('a kept member list answers a later request with another prefix, filtered and ranked', () => {
    const p = ready();
    p.storeCompletion('arr.fil', 7, list(['fill', 'filter', 'map', 'Find']), p.current);
    const r = p.complete('const y = 2 + arr.f', 19);
    expect(r?.result.items.map((i) => i.name)).toEqual(['fill', 'filter', 'Find']);
    expect(r?.result).toMatchObject({ start: 18, end: 19 });
    expect(r?.missing).toEqual([]);
  });

  test('nothing is kept before the global types are known, nor when a cell came in meanwhile', () => {
    const cold = new PathAnswers();
    cold.storeCompletion('arr.', 4, list(['map']), cold.current);
    expect(cold.complete('arr.', 4)).toBeUndefined();
    const p = ready();
    const generation = p.current;
    p.cellAdded('const z = 1');
    p.storeCompletion('arr.', 4, list(['map']), generation);
    expect(p.complete('arr.', 4)).toBeUndefined();
  });

  test('a cell mentioning a dependency drops its answers; other cells keep them', () => {
    const p = ready();
    p.storeCompletion('arr.', 4, list(['map']), p.current);
    p.storeInspect('twice(2)', 1, 0, info, p.current);
    p.cellAdded('interface P1 { x: number }\nconst p1: P1 = { x: 1 };');
    expect(p.complete('arr.', 4)).toBeDefined();
    expect(p.inspect('twice(2)', 1, 0)).toEqual(info);
    p.cellAdded('const arr = ["a"];');
    expect(p.complete('arr.', 4)).toBeUndefined();
    expect(p.inspect('twice(2)', 1, 0)).toEqual(info);
    p.cellAdded('twice = (s: string) => s;');
    expect(p.inspect('twice(2)', 1, 0)).toBeUndefined();
  });

  test('merging into an existing type, declare, or an import drops everything', () => {
    for (const cell of ['interface Array<T> { mine(): void }', 'declare global { var q: number }', "import * as fs from 'node:fs'", 'class P1 {}']) {
      const p = ready();
      p.cellAdded('interface P1 { x: number }');
      p.storeCompletion('arr.', 4, list(['map']), p.current);
      p.cellAdded(cell);
      expect(p.complete('arr.', 4)).toBeUndefined();
    }
  });

  test('names imported from local files are never kept (the file may change)', () => {
    const p = ready();
    p.cellAdded("import { helper } from './lib';");
    p.storeCompletion('helper.', 7, list(['run']), p.current);
    expect(p.complete('helper.', 7)).toBeUndefined();
    // ...nor names whose type may follow the file.
    p.cellAdded('const cfg = helper();');
    p.storeCompletion('cfg.', 4, list(['port']), p.current);
    expect(p.complete('cfg.', 4)).toBeUndefined();
    // Cells that do not use them are kept as usual.
    p.cellAdded('const nums = [1, 2];');
    p.storeCompletion('nums.', 5, list(['map']), p.current);
    expect(p.complete('nums.', 5)).toBeDefined();
  });

  test('signatures missing from the first answer are reported, and filled in later', () => {
    const p = ready();
    const r = list(['fill', 'filter']);
    r.items[1].signature = '';
    r.members = r.items.map((i) => ({ ...i, signature: '' }));
    expect(p.storeCompletion('arr.fil', 7, r, p.current)).toEqual(['filter']);
    expect(p.complete('arr.fil', 7)?.missing).toEqual(['filter']);
    p.addSignatures('arr.fil', 7, [{ name: 'filter', signature: 'filter()' }]);
    expect(p.complete('arr.fil', 7)?.missing).toEqual([]);
  });
});

describe('LanguageService with kept path answers (real worker)', () => {
  let dir: string;
  let kept: LanguageService;
  let fresh: LanguageService;
  jest.setTimeout(90_000);

  beforeAll(async () => {
    dir = makeNotebookDir();
    kept = new LanguageService({ language: 'typescript', notebookDir: dir });
    fresh = new LanguageService({ language: 'typescript', notebookDir: dir });
    for (const ls of [kept, fresh]) ls.addCell("const arr = [1, 2, 3];\nfunction twice(n: number): number { return n * 2; }\nconst text = 'hello';", 1);
    await Promise.all([kept.idle(), fresh.idle()]);
  });
  afterAll(async () => {
    await Promise.all([kept.dispose(), fresh.dispose()]);
    removeDir(dir);
  });

  const requests: Array<['complete' | 'inspect', string]> = [
    ['complete', 'arr.fil|'],
    ['complete', 'text.toUpp|'],
    ['complete', 'Math.ma|'],
    ['inspect', 'twi|ce(2)'],
    ['inspect', 'Math.ma|x(1, 2)'],
    ['inspect', 'te|xt.length'],
  ];
  const ask = async (ls: LanguageService, kind: 'complete' | 'inspect', text: string): Promise<unknown> => {
    const [code, pos] = at(text);
    if (kind === 'inspect') return ls.inspect(code, pos, 0);
    const r = await ls.complete(code, pos);
    return { matches: r.matches, start: r.cursor_start, end: r.cursor_end };
  };

  it('answers repeated requests without the worker, exactly as the worker does, across added cells', async () => {
    for (let round = 0; round < 3; round++) {
      for (const [kind, text] of requests) {
        const mine = await ask(kept, kind, text);
        // A throw-away cell mentioning every name drops all of `fresh`'s kept answers first.
        fresh.addCell(`// ${text} arr text twice Math`, 100 + round);
        expect(mine).toEqual(await ask(fresh, kind, text));
      }
      // A typed cell that declares new names changes none of these answers.
      for (const ls of [kept, fresh]) ls.addCell(`interface P${round} { x: number }\nconst p${round}: P${round} = { x: ${round} };`, 10 + round);
    }
    expect(kept.keptAnswers).toBeGreaterThanOrEqual(2 * requests.length);
    expect(fresh.keptAnswers).toBe(0);
  });

  it('a cell that redeclares a name changes the answer at once', async () => {
    expect((await kept.complete('text.toUpp', 10)).matches).toEqual(['toUpperCase']);
    kept.addCell('const text = 42;', 20);
    expect((await kept.complete('text.toUpp', 10)).matches).toEqual([]);
    expect((await kept.complete('text.toFix', 10)).matches).toEqual(['toFixed']);
    kept.addCell('declare global { interface Array<T> { mine(): T } }', 21);
    expect((await kept.complete('arr.min', 7)).matches).toEqual(['mine']);
  });
});
