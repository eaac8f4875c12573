// Golden DAP transcript of the main JupyterLab 4.5+ flow, recorded through real Jupyter messages:
// requests, responses and events as normalized text (seq/ids renumbered in order of appearance,
// the cell-path prefix replaced by `<prefix>/`, pids removed). Compared with test/golden/*.txt;
// a mismatch writes `<name>.actual` next to it; RESET_GOLDEN=1 rewrites the golden file.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DapClient } from '../../helpers/dapClient';
import { KernelClient, ROOT, withTimeout } from '../../helpers/kernelClient';

jest.setTimeout(60000);

const GOLDEN_DIR = path.join(ROOT, 'test', 'golden');

const CELL = ['function add(a: number, b: number): number {', '  const c = a + b;', '  return c;', '}', "const label: string = 'sum';", 'const total = add(2, 3);', 'console.log(label, total);'].join(
  '\n',
);

/** Renumbers ids by first appearance and strips machine-specific text. */
class Normalizer {
  private readonly ids = new Map<string, Map<number, number>>();
  constructor(private readonly prefix: string) {}

  private id(kind: string, n: number): string {
    if (n === 0) return '0';
    let m = this.ids.get(kind);
    if (!m) this.ids.set(kind, (m = new Map()));
    if (!m.has(n)) m.set(n, m.size + 1);
    return `<${kind}${m.get(n)}>`;
  }

  value(v: unknown, key = ''): unknown {
    if (Array.isArray(v)) return v.map((x) => this.value(x, key));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x, k)]));
    if (typeof v === 'number') {
      if (key === 'variablesReference') return this.id('ref', v);
      if (key === 'frameId' || (key === 'id' && v > 0)) return this.id('id', v);
      if (key === 'systemProcessId') return '<pid>';
      return v;
    }
    if (typeof v === 'string')
      return v
        .split(this.prefix)
        .join('<prefix>/')
        .split(ROOT)
        .join('<root>')
        .replace(/pid \d+/g, 'pid <pid>');
    return v;
  }

  line(kind: string, content: Record<string, any>): string {
    if (kind === 'request') return `-> ${content.command} ${content.arguments === undefined ? '(no arguments)' : JSON.stringify(this.value(content.arguments))}`;
    if (kind === 'response') return `<- ${content.command} ${content.success ? 'ok' : `FAILED ${JSON.stringify(content.message)}`} ${JSON.stringify(this.value(content.body ?? null))}`;
    return `<= ${content.event} ${JSON.stringify(this.value(content.body ?? null))}`;
  }
}

let kc: KernelClient;
beforeAll(async () => {
  kc = await KernelClient.start({ language: 'typescript' });
});
afterAll(async () => {
  await kc?.shutdown();
});

test('golden transcript: JupyterLab main flow', async () => {
  const dap = new DapClient(kc);
  await dap.start('typescript');
  await dap.waitEvent('initialized');
  await dap.setCellBreakpoints(CELL, [2]);
  let m = dap.mark();
  const exec = kc.run(CELL);
  await dap.waitEvent('stopped', m);
  await dap.inspectStop();
  await dap.ok('source', { source: { path: (await dap.ok('dumpCell', { code: CELL })).sourcePath }, sourceReference: 0 });
  for (const step of ['next', 'stepOut']) {
    m = dap.mark();
    await dap.ok(step, { threadId: 1 });
    await dap.waitEvent('stopped', m);
    await dap.inspectStop();
  }
  m = dap.mark();
  await dap.ok('continue', { threadId: 1 });
  await dap.waitEvent('continued', m);
  expect((await withTimeout(exec.reply, 15000, 'execute_reply')).content.status).toBe('ok');
  await kc.waitIdle(exec.msgId);
  await dap.ok('inspectVariables', {});
  await dap.ok('modules', {});
  await dap.stop();
  dap.flushEvents();

  const info = await dap.ok('debugInfo', {});
  const norm = new Normalizer(info.tmpFilePrefix.replace(/\/$/, '') + '/');
  const text = dap.log.map((e) => norm.line(e.kind, e.content)).join('\n') + '\n';
  const file = path.join(GOLDEN_DIR, 'jupyterlab-flow.txt');
  if (process.env.RESET_GOLDEN === '1' || !fs.existsSync(file)) {
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, text);
    fs.rmSync(file + '.actual', { force: true });
    return;
  }
  const expected = fs.readFileSync(file, 'utf8');
  if (text !== expected) fs.writeFileSync(file + '.actual', text);
  else fs.rmSync(file + '.actual', { force: true });
  expect(text).toBe(expected);
});
