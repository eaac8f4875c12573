// A frozen kernel must not leave an attached server paused forever. A real http server started
// with the agent (`--import …/register.js`, keepalive timeout 4 s), paused at a breakpoint on a real
// request: while the kernel runs, its pings keep the link (and the pause) up past the timeout; then
// the kernel is SIGSTOPped (TCP reports nothing) and the agent releases the server on its own —
// the paused request completes within the keepalive window, the server keeps serving. After
// SIGCONT the kernel reports the target gone and still answers.
jest.setTimeout(60000);

import { PING_INTERVAL_MS } from '../../../kernel/src/targets/agentLink';
import { DapClient } from '../../helpers/dapClient';
import { KernelClient, withTimeout } from '../../helpers/kernelClient';
import { attachedThread, BP_LINE, setServerBreakpoint, startServer, writeServer, type Server } from './serverHelpers';

const KEEPALIVE_MS = 4000;
/** Scheduling slack on a loaded 2-core machine, on top of the agent's check interval (1 s). */
const MARGIN_MS = 2500;

let kc: KernelClient;
let dap: DapClient;
let server: Server | undefined;
let stopped = false;

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'typescript' });
  dap = new DapClient(kc);
  await dap.start();
});
afterAll(async () => {
  if (stopped) kc.proc.kill('SIGCONT');
  await kc?.shutdown();
  await server?.stop();
});

/** True if `p` settled within `ms` (here: a release that must not happen while the kernel runs). */
function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms))),
  ]).finally(() => clearTimeout(timer));
}

test('a SIGSTOPped kernel: the agent resumes and releases the paused server after its keepalive timeout', async () => {
  const listen = await dap.ok<{ token: string; commands: { import: string } }>('listen', {});
  const register = /--import (\S+) app\.js/.exec(listen.commands.import)![1];
  const fromWait = dap.mark();
  server = await startServer(writeServer(), ['--import', register], { TSKERNEL_ATTACH_TOKEN: listen.token, TSKERNEL_AGENT_KEEPALIVE_MS: String(KEEPALIVE_MS) });
  await dap.waitEvent('agentWaiting', fromWait, 15000, (e) => e.body?.pid === server!.child.pid);
  const threadId = attachedThread((await kc.execute('%attach')).stdout);
  expect((await setServerBreakpoint(dap, server.file))[0].verified).toBe(true);

  const from = dap.mark();
  const pending = server.get('/paused', 30000);
  await dap.waitEvent('stopped', from, 15000, (e) => e.body?.threadId === threadId);

  // The kernel is alive: its pings keep the link up well past the agent's timeout, still paused.
  expect(await settlesWithin(pending, KEEPALIVE_MS + 2 * PING_INTERVAL_MS)).toBe(false);
  const { stackFrames } = await dap.ok<{ stackFrames: { line: number }[] }>('stackTrace', { threadId });
  expect(stackFrames[0].line).toBe(BP_LINE);

  // Frozen kernel: the socket stays open, nothing arrives. The agent lets go on its own.
  const t0 = Date.now();
  kc.proc.kill('SIGSTOP');
  stopped = true;
  expect(await withTimeout(pending, KEEPALIVE_MS + MARGIN_MS, 'the paused request while the kernel is frozen')).toBe(`hello /paused from ${server.child.pid}`);
  const releasedMs = Date.now() - t0;
  // Counted from the last frame heard, which came at most one ping interval before the freeze.
  expect(releasedMs).toBeGreaterThanOrEqual(KEEPALIVE_MS - PING_INTERVAL_MS - 100);
  console.log(`frozen kernel: paused request completed ${releasedMs} ms after SIGSTOP (keepalive ${KEEPALIVE_MS} ms)`);
  await server.waitStderr(/\[tskernel agent\] detached: no word from the kernel for 4\.0 s \(keepalive\)/, 5000);
  expect(await server.get('/after', 1000)).toBe(`hello /after from ${server.child.pid}`);
  expect(server.child.exitCode).toBeNull();
  expect(server.child.signalCode).toBeNull();

  // The kernel wakes up: the target is reported gone and the notebook goes on.
  kc.proc.kill('SIGCONT');
  stopped = false;
  const gone = await dap.waitEvent('detachedTarget', from, 10000, (e) => e.body?.threadId === threadId);
  expect(gone.body.threadId).toBe(threadId);
  const r = await kc.execute('1 + 1');
  expect(r.reply.content.status).toBe('ok');
});
