// Debugging TypeScript as written: a local .ts module imported by a cell is listed by
// loadedSources and served by `source` exactly as the file is written (V8 runs it type-stripped),
// and a breakpoint in it stops on the right line; a breakpoint in a cell that needs the full
// transform (an enum, a decorator) stops on the cell's own line.

import type { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DapClient, jlabInitializeArgs } from '../../helpers/dapClient';
import { KernelClient, withTimeout } from '../../helpers/kernelClient';

jest.setTimeout(60000);

// Needs the transform (an enum and parameter properties move code): line 8 is `const s = ...`.
const LEVELS = [
  'export enum Level {',
  '  Low,',
  '  High,',
  '}',
  'export class Meter {',
  '  constructor(public readonly max: number) {}',
  '  level(n: number): Level {',
  '    const s = n / this.max;',
  '    return s > 0.5 ? Level.High : Level.Low;',
  '  }',
  '}',
  '',
].join('\n');
// JSX: line 3 is `const text = ...`.
const BADGE = [
  'export function Badge(p: { label: string; n: number }) {',
  '  // a comment to shift lines',
  '  const text: string = `${p.label} ${p.n}`;',
  '  return <span className="badge">{text}</span>;',
  '}',
  '',
].join('\n');
const GEOM = ['export function scaled(w: number, h: number, k: number): number {', '  const area: number = w * h;', '  return area * k;', '}', ''].join('\n');

let kc: KernelClient;
let dap: DapClient;
let dir: string;
let geom: string;

beforeAll(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-dbg-ts-')));
  geom = path.join(dir, 'geom.ts');
  fs.writeFileSync(geom, GEOM);
  fs.writeFileSync(path.join(dir, 'levels.ts'), LEVELS);
  fs.writeFileSync(path.join(dir, 'badge.tsx'), BADGE);
  // The automatic JSX runtime the .tsx module imports.
  fs.mkdirSync(path.join(dir, 'node_modules', 'react'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node_modules', 'react', 'package.json'), JSON.stringify({ name: 'react', version: '0.0.0', exports: { './jsx-runtime': './jsx-runtime.js' } }));
  fs.writeFileSync(path.join(dir, 'node_modules', 'react', 'jsx-runtime.js'), 'exports.jsx = exports.jsxs = (type, props) => ({ type, props });\nexports.Fragment = "fragment";\n');
  kc = await KernelClient.start({ cwd: dir });
  dap = new DapClient(kc);
  await dap.ok('debugInfo', {});
  const m = dap.mark();
  await dap.ok('initialize', jlabInitializeArgs('typescript'));
  await dap.ok('attach', {});
  await dap.waitEvent('initialized', m);
});
afterAll(async () => {
  await kc?.shutdown();
});

async function stopAndContinue(code: string): Promise<DebugProtocol.StackFrame[]> {
  const m = dap.mark();
  const exec = kc.run(code);
  await dap.waitEvent('stopped', m, 15000, (e) => e.body?.reason === 'breakpoint');
  const { stackFrames } = await dap.ok<{ stackFrames: DebugProtocol.StackFrame[] }>('stackTrace', { threadId: 1 });
  await dap.ok('continue', { threadId: 1 });
  expect((await withTimeout(exec.reply, 15000, 'execute_reply')).content.status).toBe('ok');
  await kc.waitIdle(exec.msgId);
  return stackFrames;
}

test('an imported .ts module is listed and shown as written, and its breakpoints stop on the right line', async () => {
  const r = await kc.execute('import { scaled } from "./geom.ts";\nscaled(2, 3, 4)');
  expect(r.reply.content.status).toBe('ok');
  const { sources } = await dap.ok<{ sources: DebugProtocol.Source[] }>('loadedSources', {});
  expect(sources.map((s) => s.path)).toContain(geom);
  const src = await dap.ok<{ content: string }>('source', { source: { path: geom }, sourceReference: 0 });
  expect(src.content).toBe(GEOM);

  const set = await dap.ok<{ breakpoints: DebugProtocol.Breakpoint[] }>('setBreakpoints', { source: { path: geom }, breakpoints: [{ line: 3 }] });
  expect(set.breakpoints[0]).toMatchObject({ verified: true, line: 3 });
  const frames = await stopAndContinue('scaled(1, 2, 3)');
  expect(frames[0]).toMatchObject({ name: 'scaled', line: 3, source: { path: geom } });
  await dap.ok('setBreakpoints', { source: { path: geom }, breakpoints: [] });
});

test('a breakpoint in a cell that needs the full transform stops on the cell line as written', async () => {
  const cell = ['enum Level { Low, High }', 'function pick(n: number): Level {', '  const l = n > 1 ? Level.High : Level.Low;', '  return l;', '}', 'pick(2)'].join('\n');
  const { path: cellPath, breakpoints } = await dap.setCellBreakpoints(cell, [3]);
  expect(breakpoints[0]).toMatchObject({ verified: true, line: 3 });
  const frames = await stopAndContinue(cell);
  expect(frames[0]).toMatchObject({ name: 'pick', line: 3, source: { path: cellPath } });
  expect(frames[1]).toMatchObject({ line: 6, source: { path: cellPath } });
});

test.each([
  ['levels.ts', 'an enum and parameter properties', LEVELS, 8, 'import { Meter } from "./levels.ts";\nnew Meter(4).level(3)', 'new Meter(10).level(1)', 'level'],
  ['badge.tsx', 'JSX', BADGE, 3, 'import { Badge } from "./badge.tsx";\nBadge({ label: "a", n: 1 }).props.children', 'Badge({ label: "b", n: 2 })', 'Badge'],
])('an imported module that needs the transform (%s: %s) is shown as written and stops on the right line', async (name, _what, text, line, first, again, fn) => {
  const file = path.join(dir, name);
  const r = await kc.execute(first);
  expect(r.reply.content.status).toBe('ok');
  const { sources } = await dap.ok<{ sources: DebugProtocol.Source[] }>('loadedSources', {});
  expect(sources.map((s) => s.path)).toContain(file);
  const src = await dap.ok<{ content: string }>('source', { source: { path: file }, sourceReference: 0 });
  expect(src.content).toBe(text);
  const set = await dap.ok<{ breakpoints: DebugProtocol.Breakpoint[] }>('setBreakpoints', { source: { path: file }, breakpoints: [{ line }] });
  expect(set.breakpoints[0]).toMatchObject({ verified: true, line });
  const frames = await stopAndContinue(again);
  expect(frames[0]).toMatchObject({ name: expect.stringContaining(fn), line, source: { path: file } });
  await dap.ok('setBreakpoints', { source: { path: file }, breakpoints: [] });
});
