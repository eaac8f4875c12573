// The completion cache: a request that only extends the identifier of the last answer is answered
// from that answer (filtered and ranked as the worker ranks), anything else is not; a new cell,
// runtime members, string spans, truncated lists and missing signatures all send it to the worker.
// The last test compares cached answers with a real worker's answers for the same requests.

import { CompletionCache } from '../../../kernel/src/lang/completionCache';
import { LanguageService } from '../../../kernel/src/lang/service';
import type { CompletionItem, CompletionResult } from '../../../kernel/src/lang/service/protocol';
import { makeNotebookDir, removeDir } from './fixture';

const item = (name: string, sortText = '11', signature = `sig ${name}`, kind = 'method'): CompletionItem => ({ name, kind, signature, sortText });

function answered(code: string, pos: number, items: CompletionItem[], extra: Partial<CompletionResult> = {}): CompletionCache {
  const c = new CompletionCache();
  const start = /[\w$]*$/.exec(code.slice(0, pos))?.index ?? pos;
  c.store(code, pos, { items, start, end: pos, ...extra }, c.current);
  return c;
}

describe('CompletionCache', () => {
  const items = [item('toFixed'), item('toString', '12'), item('TOP', '10'), item('valueOf')];

  it('answers a longer prefix of the same identifier, exact-case matches first', () => {
    const c = answered('x.', 2, items);
    const r = c.lookup('x.to', 4);
    expect(r?.items.map((i) => i.name)).toEqual(['toFixed', 'toString', 'TOP']);
    expect([r?.start, r?.end]).toEqual([2, 4]);
    expect(c.lookup('x.toS', 5)?.items.map((i) => i.name)).toEqual(['toString']);
  });

  it('answers the same request again', () => {
    expect(answered('foo(x.t, 1)', 7, items).lookup('foo(x.t, 1)', 7)?.items).toHaveLength(3);
  });

  it('does not answer when the text around the identifier changed or the prefix got shorter', () => {
    const c = answered('x.to', 4, items);
    expect(c.lookup('y.to', 4)).toBeUndefined();
    expect(c.lookup('x.to;', 4)).toBeUndefined();
    expect(c.lookup('x.t', 3)).toBeUndefined();
    expect(c.lookup('x.tox', 4)).toBeUndefined();
  });

  it('forgets everything when a cell is added, also answers in flight', () => {
    const c = new CompletionCache();
    const generation = c.current;
    c.invalidate();
    c.store('x.', 2, { items, start: 2, end: 2 }, generation);
    expect(c.lookup('x.to', 4)).toBeUndefined();
    c.store('x.', 2, { items, start: 2, end: 2 }, c.current);
    c.invalidate();
    expect(c.lookup('x.to', 4)).toBeUndefined();
  });

  it('does not keep runtime-member answers, string spans or truncated lists', () => {
    expect(answered('o.', 2, items, { anyMemberOf: 'o' }).lookup('o.t', 3)).toBeUndefined();
    expect(answered('f("a', 4, items, { start: 2 }).lookup('f("ab', 5)).toBeUndefined();
    const many = Array.from({ length: 1000 }, (_, i) => item(`m${i}`));
    expect(answered('x.', 2, many).lookup('x.m1', 4)).toBeUndefined();
  });

  it('asks again when the leading items of the narrowed list have no signature yet', () => {
    const c = answered('x.', 2, [...Array.from({ length: 10 }, (_, i) => item(`a${i}`)), item('zeta', '11', '')]);
    expect(c.lookup('x.z', 3)).toBeUndefined();
    expect(c.lookup('x.a1', 4)?.items.map((i) => i.name)).toEqual(['a1']);
  });
});

describe('LanguageService completion while typing', () => {
  let dir: string;
  let cached: LanguageService;
  let fresh: LanguageService;
  jest.setTimeout(60_000);

  beforeAll(async () => {
    dir = makeNotebookDir();
    cached = new LanguageService({ language: 'typescript', notebookDir: dir });
    fresh = new LanguageService({ language: 'typescript', notebookDir: dir });
    for (const ls of [cached, fresh]) ls.addCell('const s: string = "x"; const n = 1.5;', 1);
    await Promise.all([cached.idle(), fresh.idle()]);
  });
  afterAll(async () => {
    await Promise.all([cached.dispose(), fresh.dispose()]);
    removeDir(dir);
  });

  it('gives the worker’s own answers for each keystroke of an identifier', async () => {
    for (const code of ['n.to', 'n.toF', 'n.toFi', 'console.log(s.', 'console.log(s.r', 'console.log(s.re', 'console.log(s.rep', 'console.log(s.rep']) {
      const fromCache = await cached.complete(code, code.length);
      // A throw-away cell each time makes the fresh service's cache miss, so it asks its worker.
      fresh.addCell(`// ${code}`, 2);
      const fromWorker = await fresh.complete(code, code.length);
      expect(fromCache.matches).toEqual(fromWorker.matches);
      expect([fromCache.cursor_start, fromCache.cursor_end]).toEqual([fromWorker.cursor_start, fromWorker.cursor_end]);
      // Signature texts depend on the worker's time budget (completions.ts): compare those both have.
      const types = (r: typeof fromCache) => r.metadata._jupyter_types_experimental as Array<{ type: string; signature: string }>;
      expect(types(fromCache).map((t) => t.type)).toEqual(types(fromWorker).map((t) => t.type));
      types(fromCache).forEach((t, i) => t.signature && types(fromWorker)[i].signature && expect(t.signature).toBe(types(fromWorker)[i].signature));
    }
    // At least the repeated request; narrowed ones hit when the worker had time for their signatures.
    // (Lists are also kept per receiver path: pathAnswers.ts; the throw-away cells drop those too.)
    expect(cached.cachedCompletions + cached.keptAnswers).toBeGreaterThanOrEqual(1);
    expect(fresh.cachedCompletions + fresh.keptAnswers).toBe(0);
    // A new cell changes the answer: `s` is a number now, so no string members.
    cached.addCell('const s = 2;', 3);
    expect((await cached.complete('console.log(s.rep', 17)).matches).toEqual([]);
  });
});
