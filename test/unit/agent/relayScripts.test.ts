// What the runner's agent leaves out of the relay (agent/relay.ts `skipScript`, agentWorker.ts):
// scriptParsed of host code (Node's internals, the kernel's own files, the kernel's evaluations)
// never reaches the kernel, every other script does, and a pause's frames in host code come
// without their scopes.
// Over a real loopback socket and a real inspector session.

import * as inspector from 'node:inspector';
import * as net from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodeFrame, FrameDecoder } from '../../../kernel/src/link/framing';
import { hiddenScriptFilter, INTERNAL_SCRIPT_SUFFIX, runRelay } from '../../../kernel/src/agent/relay';
import { INTERNAL_URL_SUFFIX } from '../../../kernel/src/debugger/scripts';

const HOST = path.join(path.sep, 'opt', 'tskernel', 'dist') + path.sep;

test('the filter hides what the kernel hides, and nothing else', () => {
  // The agent's copy of the suffix is the kernel's.
  expect(INTERNAL_SCRIPT_SUFFIX).toBe(INTERNAL_URL_SUFFIX);
  const hidden = hiddenScriptFilter([HOST]);
  expect(hidden('node:internal/modules/cjs/loader')).toBe(true);
  expect(hidden(`globals${INTERNAL_URL_SUFFIX}`)).toBe(true);
  expect(hidden(pathToFileURL(path.join(HOST, 'runtime', 'runner', 'main.js')).href)).toBe(true);
  expect(hidden(path.join(HOST, 'agent', 'relay.js'))).toBe(true);
  // User code: cells, files elsewhere, scripts without a URL (eval), look-alike prefixes.
  expect(hidden(path.join(path.sep, 'tmp', 'ipykernel_1', '123.ts'))).toBe(false);
  expect(hidden(pathToFileURL(path.join(path.sep, 'home', 'me', 'server.js')).href)).toBe(false);
  expect(hidden('')).toBe(false);
  expect(hidden(HOST.slice(0, -1) + '-user' + path.sep + 'x.js')).toBe(false);
  expect(hidden('file://%%bad')).toBe(false);
});

test('scriptParsed of skipped scripts is not relayed; user scripts, replies and pauses are', async () => {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const kernel = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  const agentSide = await accepted;
  server.close();
  const session = new inspector.Session();
  session.connect();
  const relay = runRelay(agentSide, session, {
    hello: { method: 'Agent.hello', params: { pid: process.pid, node: process.version, hiddenPaths: [] } },
    log: () => undefined,
    onClose: () => undefined,
    skipScript: (url) => url.endsWith('.hidden-by-test'),
  });
  const received: { id?: number; method?: string; params?: { url?: string } }[] = [];
  const decoder = new FrameDecoder();
  const waiters = new Set<() => void>();
  kernel.on('data', (d: Buffer) => {
    received.push(...(decoder.push(d) as typeof received));
    for (const w of [...waiters]) w();
  });
  /** Resolves once `pred` holds after some message arrived (or at once), rejects after 5 s. */
  const until = (pred: () => boolean): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!pred()) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out; received ${JSON.stringify(received.map((m) => m.method ?? m.id))}`));
      }, 5000);
      waiters.add(check);
      check();
    });
  try {
    const send = (id: number, method: string, params: object = {}): boolean => kernel.write(encodeFrame({ id, method, params }));
    send(1, 'Debugger.enable');
    await until(() => received.some((m) => m.id === 1));
    send(2, 'Runtime.evaluate', { expression: '1 //# sourceURL=one.hidden-by-test' });
    send(3, 'Runtime.evaluate', { expression: '2 //# sourceURL=two-user.js' });
    await until(() => received.some((m) => m.id === 3));
    const urls = received.filter((m) => m.method === 'Debugger.scriptParsed').map((m) => m.params?.url);
    expect(urls).toContain('two-user.js');
    expect(urls).not.toContain('one.hidden-by-test');
    expect(received.find((m) => m.id === 2)).toMatchObject({ result: { result: { value: 1 } } });
    expect(received.find((m) => m.id === 3)).toMatchObject({ result: { result: { value: 2 } } });
    expect(received[0]).toMatchObject({ method: 'Agent.hello' });

    // A pause in user code called from a skipped script: the skipped frame comes without scopes.
    send(4, 'Runtime.evaluate', { expression: 'globalThis.__inner = function inner(x) { debugger; return x; } //# sourceURL=inner-user.js' });
    send(5, 'Runtime.evaluate', { expression: 'globalThis.__outer = function outer(y) { return __inner(y + 1); } //# sourceURL=outer.hidden-by-test' });
    send(6, 'Runtime.evaluate', { expression: '__outer(1)' });
    await until(() => received.some((m) => m.id === 6));
    const paused = received.find((m) => m.method === 'Debugger.paused') as { params: { callFrames: { functionName: string; scopeChain: unknown[]; this: { type: string } }[] } } | undefined;
    expect(paused?.params.callFrames.slice(0, 2).map((f) => f.functionName)).toEqual(['inner', 'outer']);
    const [inner, outer] = paused!.params.callFrames;
    expect(inner.scopeChain.length).toBeGreaterThan(0);
    expect(outer.scopeChain).toEqual([]);
    expect(outer.this).toEqual({ type: 'undefined' });
  } finally {
    relay.close('test over');
    kernel.destroy();
  }
});
