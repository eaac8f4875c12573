// Pure pieces of the debugger: source-map line translation, agent-link framing, the breakpoint
// model's diffing, exception filters and the static "caught by user code" check, the URL regex
// for by-URL breakpoints, debuggee preview/slice helpers, and the async cell-wrapper detection.

import type { Protocol } from 'devtools-protocol';
import { pathToFileURL } from 'node:url';
import { encodeFrame, FrameDecoder, FrameError } from '../../../kernel/src/link/framing';
import { BreakpointModel } from '../../../kernel/src/debugger/breakpoints/model';
import { exceptionMode, insideCatchingTry } from '../../../kernel/src/debugger/exceptions';
import { urlRegexFor, urlToPath } from '../../../kernel/src/debugger/scripts';
import { LineMap } from '../../../kernel/src/debugger/sourceMap';
import { isAsyncCellWrapper } from '../../../kernel/src/debugger/stack';
import { replTransform } from '../../../kernel/src/lang/transpile/replTransform';
import { arraySlice, collectionSlice, previewValues } from '../../../kernel/src/debugger/variables/remote';

describe('source maps', () => {
  // generated line 0 <- source line 2, generated line 1 <- source line 4 (col 2)
  const map = JSON.stringify({ version: 3, sources: ['cell.ts'], names: [], mappings: 'AAEA;AAEE' });
  test('both directions by line', () => {
    const m = new LineMap(map);
    expect(m.originalFor({ line0: 0, col0: 5 })).toEqual({ line0: 2, col0: 0 });
    expect(m.originalFor({ line0: 1, col0: 0 })).toEqual({ line0: 4, col0: 2 });
    expect(m.generatedFor(2)).toEqual({ line0: 0, col0: 0 });
    // Line 3 has no code: snaps forward to the next mapped line.
    expect(m.generatedFor(3)).toEqual({ line0: 1, col0: 0 });
    expect(m.generatedFor(9)).toBeUndefined();
  });
});

describe('agent framing', () => {
  test('round trip across arbitrary chunking', () => {
    const msgs = [{ id: 1, method: 'Debugger.enable' }, { method: 'x', params: { s: 'é✓🚀'.repeat(100) } }, {}];
    const bytes = Buffer.concat(msgs.map(encodeFrame));
    for (const step of [1, 3, 7, bytes.length]) {
      const d = new FrameDecoder();
      const out: unknown[] = [];
      for (let i = 0; i < bytes.length; i += step) out.push(...d.push(bytes.subarray(i, i + step)));
      expect(out).toEqual(msgs);
    }
  });
  test('oversized and malformed frames are refused', () => {
    expect(() => new FrameDecoder(10).push(encodeFrame({ big: 'x'.repeat(20) }))).toThrow(FrameError);
    const bad = Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from('{{{')]);
    expect(() => new FrameDecoder().push(bad)).toThrow(/malformed/);
  });
});

describe('breakpoint model', () => {
  test('full replacement with diffing: equivalent breakpoints keep their ids', () => {
    const m = new BreakpointModel();
    const a = m.replace('/c.ts', [{ line: 2 }, { line: 5, condition: 'x' }]);
    expect(a.added).toHaveLength(2);
    const b = m.replace('/c.ts', [{ line: 5, condition: 'x' }, { line: 2 }]);
    expect(b.added).toHaveLength(0);
    expect(b.removed).toHaveLength(0);
    expect(b.list.map((x) => x.id)).toEqual([a.list[1].id, a.list[0].id]);
    const c = m.replace('/c.ts', [{ line: 5, condition: 'y' }]);
    expect(c.added.map((x) => x.line)).toEqual([5]);
    expect(c.removed.map((x) => x.line).sort()).toEqual([2, 5]);
    expect(m.replace('/c.ts', []).removed).toHaveLength(1);
    expect(m.paths()).toEqual([]);
  });
  test('DAP view reports the resolved line', () => {
    const m = new BreakpointModel();
    const [bp] = m.replace('/c.ts', [{ line: 2 }]).list;
    bp.verified = true;
    bp.resolvedLine = 3;
    expect(BreakpointModel.toDap(bp)).toEqual({ id: bp.id, verified: true, line: 3, source: { path: '/c.ts' } });
  });
});

describe('exceptions', () => {
  test('filter ids and aliases', () => {
    expect(exceptionMode([]).mode).toBe('none');
    expect(exceptionMode(['uncaught']).mode).toBe('uncaught');
    expect(exceptionMode(['caught']).mode).toBe('all');
    expect(exceptionMode(['uncaught', 'all']).mode).toBe('all');
    expect(exceptionMode(['raised', 'bogus'])).toEqual({ mode: 'all', unknown: ['bogus'] });
  });
  test('caught by a try/catch of the same function only', () => {
    const src = ['try {', '  a();', '} catch (e) {}', 'try {', '  [1].forEach(() => { b(); });', '} finally {}', 'try { f(function () { c(); }); } catch {}'].join('\n');
    expect(insideCatchingTry(src, 1, 2)).toBe(true); // a() inside try/catch
    expect(insideCatchingTry(src, 2, 14)).toBe(false); // inside the catch clause
    expect(insideCatchingTry(src, 4, 23)).toBe(false); // try/finally does not catch
    expect(insideCatchingTry(src, 6, 21)).toBe(false); // c() runs in a nested function
    expect(insideCatchingTry(src, 6, 6)).toBe(true); // the call f(...) is inside try/catch
    expect(insideCatchingTry('not valid js (((', 0, 1)).toBe(false);
  });
});

describe('scripts', () => {
  test('by-URL regex matches the path and its file URL, nothing else', () => {
    const p = '/tmp/tskernel_ipykernel_1/12 3.ts';
    const re = new RegExp(urlRegexFor(p));
    expect(re.test(p)).toBe(true);
    expect(re.test(pathToFileURL(p).href)).toBe(true);
    expect(re.test('file://' + p)).toBe(true);
    expect(re.test(p + 'x')).toBe(false);
    expect(urlToPath(pathToFileURL(p).href)).toBe(p);
    expect(urlToPath('node:fs')).toBe('node:fs');
    expect(urlToPath('')).toBeUndefined();
  });
});

describe('debuggee helpers (run locally)', () => {
  test('array and collection slices', () => {
    expect({ ...arraySlice.call([5, 6, 7, 8], 1, 3) }).toEqual({ 1: 6, 2: 7 });
    expect({
      ...collectionSlice.call(
        new Map([
          ['a', 1],
          ['b', 2],
          ['c', 3],
        ]),
        1,
        2,
      ),
    }).toEqual({ k1: 'b', v1: 2 });
    expect({ ...collectionSlice.call(new Set(['x', 'y']), 0, 5) }).toEqual({ v0: 'x', v1: 'y' });
  });
  test('previews never run getters and stay short for huge values', () => {
    let ran = false;
    const obj = {
      a: 1,
      s: 'str',
      get g() {
        ran = true;
        return 1;
      },
      n: null,
    };
    const big = new Array(1e6).fill(0);
    const t0 = performance.now();
    const [o, b, m, p] = previewValues(obj, big, new Map([[1, { x: 1 }]]), 7);
    expect(performance.now() - t0).toBeLessThan(20);
    expect(ran).toBe(false);
    expect(o).toBe("{a: 1, s: 'str', g: (...), n: null}");
    expect(b).toBe('[0, 0, 0, 0, 0, …]');
    expect(m).toBe('{1 => {…}}');
    expect(p).toBe('');
    // eslint-disable-next-line no-sparse-arrays -- a hole is what is being previewed
    expect(previewValues([1, , 3])[0]).toBe('[1, empty, 3]');
  });
});

describe('async cell wrapper', () => {
  const cf = (col: number): Protocol.Debugger.CallFrame => ({
    callFrameId: '1',
    functionName: '',
    functionLocation: { scriptId: '1', lineNumber: 0, columnNumber: col },
    location: { scriptId: '1', lineNumber: 1, columnNumber: 0 },
    url: '',
    scopeChain: [],
    this: { type: 'undefined' },
  });
  test('recognises the REPL transform wrapper only', () => {
    const withVars = replTransform('const x = await 1;\nconst y = [1].map(async () => { await 1; });');
    expect(withVars.code.startsWith('var x, y; (async () => { ')).toBe(true);
    expect(withVars.wrapperColumn).toBe(11);
    expect(isAsyncCellWrapper(cf(11), withVars.wrapperColumn)).toBe(true);
    const bare = replTransform('await 1');
    expect(bare.wrapperColumn).toBe(1);
    expect(isAsyncCellWrapper(cf(1), bare.wrapperColumn)).toBe(true);
    // Another function on line 1 (the wrapper is at column 11), and a cell without top-level await.
    expect(isAsyncCellWrapper(cf(12), withVars.wrapperColumn)).toBe(false);
    expect(replTransform('[1].map(async () => { await 1; })').wrapperColumn).toBeUndefined();
    expect(isAsyncCellWrapper(cf(11), undefined)).toBe(false);
  });
});
