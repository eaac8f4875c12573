// Imports of the notebook's own modules after other imports: the runner registers Node's ESM hooks
// (the thread that loads .ts files as modules) only before the first import that may need them —
// a TypeScript file or a local module — so these cells check that a notebook which first imports
// packages only still gets its local .ts, .mts and .mjs-that-imports-.ts modules, as written.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KernelClient } from '../../helpers/kernelClient';

jest.setTimeout(60000);

let k: KernelClient;
let dir: string;

type Run = Awaited<ReturnType<KernelClient['execute']>>;
const text = (r: Run): string => String(r.outputs.find((m) => m.header.msg_type === 'execute_result')?.content.data['text/plain']);
const ok = (r: Run): Run => {
  if (r.reply.content.status !== 'ok') throw new Error(`cell failed: ${String(r.reply.content.evalue)}\n${r.stderr}`);
  return r;
};

beforeAll(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-imports-')));
  const pkg = path.join(dir, 'node_modules', 'esm-only');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'esm-only', version: '1.0.0', type: 'module', exports: './index.js' }));
  fs.writeFileSync(path.join(pkg, 'index.js'), 'export const shout = (s) => s.toUpperCase();\n');
  fs.writeFileSync(path.join(dir, 'math.ts'), 'export function twice(n: number): number {\n  return n * 2;\n}\n');
  fs.writeFileSync(path.join(dir, 'units.mts'), 'import { twice } from "./math.ts";\nexport const quad = (n: number): number => twice(twice(n));\n');
  // Plain JavaScript that imports TypeScript: only the hooks can load math.ts for it.
  fs.writeFileSync(path.join(dir, 'helpers.mjs'), 'import { twice } from "./math.ts";\nexport const six = () => twice(3);\n');
  k = await KernelClient.start({ cwd: dir });
});
afterAll(async () => {
  await k.shutdown();
});

test('a package import first, then a local .mjs module that imports a .ts file', async () => {
  expect(text(ok(await k.execute('import { shout } from "esm-only";\nshout("hi")')))).toBe("'HI'");
  expect(text(ok(await k.execute('import { six } from "./helpers.mjs";\nsix()')))).toBe('6');
});

test('a local .mts module that imports a .ts module, and the .ts module itself without extension', async () => {
  expect(text(ok(await k.execute('import { quad } from "./units.mts";\nquad(5)')))).toBe('20');
  expect(text(ok(await k.execute('const { twice } = await import("./math");\ntwice(7)')))).toBe('14');
});
