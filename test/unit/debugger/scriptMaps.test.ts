// ScriptMaps over maps produced by the TypeScript compiler itself (no target involved): both
// directions of the mapping, inline data: maps, refusing non-file map URLs, and predicting a
// not-yet-loaded compiled file from the layout of a loaded one.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { decodeDataUrl, ScriptMaps } from '../../../kernel/src/debugger/scriptMaps';

const ROOT = '/proj';
const A_TS = ['interface P { x: number }', 'type Q = P;', 'export function a(p: P): number {', '  return p.x + 1;', '}', ''].join('\n');
const B_TS = ['export type T = string;', '', 'export function b(): string {', "  return 'b';", '}', ''].join('\n');

/** Compiles src/*.ts to dist/*.js + .map in memory, as tsc lays them out. */
function compile(): Map<string, string> {
  const files = new Map([
    [`${ROOT}/src/a.ts`, A_TS],
    [`${ROOT}/src/b.ts`, B_TS],
  ]);
  const out = new Map<string, string>();
  const host = ts.createCompilerHost({});
  host.readFile = (f) => files.get(f) ?? ts.sys.readFile(f);
  host.fileExists = (f) => files.has(f) || ts.sys.fileExists(f);
  host.writeFile = (f, text) => out.set(f, text);
  const program = ts.createProgram(
    [...files.keys()],
    { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, rootDir: `${ROOT}/src`, outDir: `${ROOT}/dist`, sourceMap: true, types: [] },
    host,
  );
  expect(program.emit().emitSkipped).toBe(false);
  return out;
}

const out = compile();
const reader = async (p: string): Promise<string | undefined> => out.get(p);
const urlOf = (p: string): string => pathToFileURL(p).href;

test('generated <-> original for a loaded script', async () => {
  const maps = new ScriptMaps(reader);
  expect(await maps.add('1', urlOf(`${ROOT}/dist/a.js`), 'a.js.map')).toEqual([`${ROOT}/src/a.ts`]);
  const js = out.get(`${ROOT}/dist/a.js`)!.split('\n');
  const gen = maps.generatedFor(`${ROOT}/src/a.ts`, 3);
  expect(gen).toHaveLength(1);
  expect(js[gen[0].line0]).toContain('return p.x + 1;');
  expect(maps.originalFor('1', gen[0].line0, gen[0].col0)).toEqual({ path: `${ROOT}/src/a.ts`, line0: 3, col0: 2 });
  // Type-only lines have no code: they snap to the next line that has some (the function).
  const snapped = maps.generatedFor(`${ROOT}/src/a.ts`, 1)[0];
  expect(maps.originalFor('1', snapped.line0, snapped.col0)?.line0).toBe(2);
  expect(maps.sourcePaths()).toEqual([`${ROOT}/src/a.ts`]);
  expect(maps.keyFor(`${ROOT}/src/a.ts`)).toBe(urlOf(`${ROOT}/dist/a.js`));
});

test('inline data: maps, and no fetching of non-file map URLs', async () => {
  const json = out.get(`${ROOT}/dist/a.js.map`)!;
  expect(decodeDataUrl(`data:application/json;base64,${Buffer.from(json).toString('base64')}`)).toBe(json);
  expect(decodeDataUrl(`data:application/json,${encodeURIComponent(json)}`)).toBe(json);
  expect(decodeDataUrl('https://example.com/a.map')).toBeUndefined();
  const read: string[] = [];
  const maps = new ScriptMaps(async (p) => (read.push(p), undefined));
  expect(await maps.add('1', urlOf(`${ROOT}/dist/a.js`), `data:application/json;base64,${Buffer.from(json).toString('base64')}`)).toEqual([`${ROOT}/src/a.ts`]);
  expect(await maps.add('2', 'https://example.com/x.js', 'x.js.map')).toEqual([]);
  expect(await maps.add('3', urlOf(`${ROOT}/dist/c.js`), 'not json')).toEqual([]);
  expect(read).toEqual([`${ROOT}/dist/not json`]);
});

test('a not-yet-loaded .ts is predicted from a loaded sibling, and the real script takes over', async () => {
  const maps = new ScriptMaps(reader);
  await maps.predict(`${ROOT}/src/b.ts`); // nothing loaded: nothing to predict from
  expect(maps.isMappedSource(`${ROOT}/src/b.ts`)).toBe(false);
  await maps.add('1', urlOf(`${ROOT}/dist/a.js`), 'a.js.map');
  await maps.predict(`${ROOT}/src/b.ts`);
  expect(maps.isMappedSource(`${ROOT}/src/b.ts`)).toBe(true);
  const [g] = maps.generatedFor(`${ROOT}/src/b.ts`, 3);
  expect(g.url).toBe(urlOf(`${ROOT}/dist/b.js`));
  const key = maps.keyFor(`${ROOT}/src/b.ts`);
  // Before its own map loads, the real script (same URL) maps through the prediction.
  void maps.add('7', urlOf(`${ROOT}/dist/b.js`), 'b.js.map');
  expect(maps.originalFor('7', g.line0, g.col0)?.line0).toBe(3);
  await maps.settled('7');
  expect(maps.keyFor(`${ROOT}/src/b.ts`)).toBe(key);
  expect(maps.generatedFor(`${ROOT}/src/b.ts`, 3)).toEqual([{ ...g, scriptId: '7' }]);
  expect(path.basename(g.url)).toBe('b.js');
});
