// What %attach --pid and discovery refuse, with real processes: the notebook's runner and the
// kernel itself are refused with a reason (and never listed); a non-Node process disguised as
// `node` (exec -a node sleep) is refused and keeps running; a by-pid attach that had to start the
// TLS listener closes it again on %detach, while a listener the user started with %listen stays;
// %targets and listTargets show only a short label and a redacted command line.
jest.setTimeout(90000);

import { spawn } from 'node:child_process';
import { listeningPorts, processArgv, processExe } from '../../../kernel/src/attach/procfs';
import { DapClient } from '../../helpers/dapClient';
import { KernelClient } from '../../helpers/kernelClient';
import { attachedThread, startServer, writeServer, type Server } from './serverHelpers';

let kc: KernelClient;
let dap: DapClient;
let server: Server;
let runnerPid: number;

/** The kernel's own listening TCP ports (its ZeroMQ sockets, plus the attach listener while it exists). */
function kernelPorts(): number[] {
  return (listeningPorts(kc.proc.pid!) ?? []).sort((a, b) => a - b);
}

/** Resolves once the process has exec'd into an executable matching `re` (bounded). Right after
 * the exec, /proc/PID/exe can already name the new executable while /proc/PID/cmdline still reads
 * empty: wait for both. */
async function execDone(pid: number, re: RegExp, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!re.test(processExe(pid) ?? '') || !processArgv(pid)?.length) {
    if (Date.now() > deadline) throw new Error(`pid ${pid} did not exec ${re} within ${timeoutMs} ms (exe ${processExe(pid)})`);
    await new Promise((r) => setImmediate(r));
  }
  expect(processArgv(pid)?.[0]).toBe('node'); // argv[0] says node; the executable does not
}

function errorText(r: Awaited<ReturnType<KernelClient['execute']>>): string {
  return JSON.stringify(r.outputs.map((o) => o.content));
}

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'javascript' });
  dap = new DapClient(kc);
  await dap.start('javascript');
  // A secret on the command line and a URL credential: discovery must not show them.
  server = await startServer(writeServer(), ['--inspect-port=0'], {});
  const r = await kc.execute('process.pid');
  runnerPid = Number(JSON.stringify(r.outputs.map((o) => o.content)).match(/"text\/plain":"(\d+)"/)![1]);
  expect(runnerPid).toBeGreaterThan(0);
});
afterAll(async () => {
  await kc?.shutdown();
  await server?.stop();
});

test("the notebook's runner and the kernel itself are refused, and the runner keeps working", async () => {
  const before = kernelPorts();
  const r = await kc.execute(`%attach --pid ${runnerPid}`);
  expect(r.reply.content.status).toBe('error');
  expect(errorText(r)).toMatch(new RegExp(`cannot attach to pid ${runnerPid}: that is this notebook's runner`));
  const k = await kc.execute(`%attach --pid ${kc.proc.pid}`);
  expect(k.reply.content.status).toBe('error');
  expect(errorText(k)).toMatch(/that is the kernel itself/);
  // Nothing was opened: no listener left behind, and %listen / %detach still work at once.
  expect(kernelPorts()).toEqual(before);
  const l = await kc.execute('%listen');
  expect(l.stdout).toMatch(/Listening for agents on 127\.0\.0\.1:\d+/);
  expect((await kc.execute('%listen --stop')).stdout).toMatch(/closed/);
  expect((await kc.execute('%detach all')).reply.content.status).toBe('ok');
  expect((await kc.execute('21 * 2')).reply.content.status).toBe('ok');
});

test('a non-Node process started as `exec -a node` is refused and survives', async () => {
  const fake = spawn('bash', ['-c', 'exec -a node sleep 60'], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => fake.once('exit', () => r()));
  try {
    await execDone(fake.pid!, /sleep$/);
    const r = await kc.execute(`%attach --pid ${fake.pid}`);
    expect(r.reply.content.status).toBe('error');
    expect(errorText(r)).toMatch(/not a Node\.js process \(its executable is \/\S*sleep\)/);
    expect(fake.exitCode).toBeNull();
    expect(fake.signalCode).toBeNull();
    expect(() => process.kill(fake.pid!, 0)).not.toThrow();
  } finally {
    fake.kill('SIGKILL');
    await exited;
  }
});

test('a by-pid attach closes the listener it started on %detach; a %listen listener stays', async () => {
  const before = kernelPorts();
  const pid = server.child.pid!;
  const a = await kc.execute(`%attach --pid ${pid}`);
  expect(a.reply.content.status).toBe('ok');
  const threadId = attachedThread(a.stdout);
  expect(kernelPorts().length).toBe(before.length + 1); // the implicit TLS listener
  const from = dap.mark();
  expect((await kc.execute(`%detach ${threadId}`)).stdout).toContain(`Detached thread ${threadId}`);
  await dap.waitEvent('thread', from, 10000, (e) => e.body?.threadId === threadId && e.body?.reason === 'exited');
  expect(kernelPorts()).toEqual(before);
  expect(await server.get('/after', 5000)).toBe(`hello /after from ${pid}`);

  // With an explicit %listen first, the listener belongs to the user: detach leaves it open.
  const port = Number(/Listening for agents on 127\.0\.0\.1:(\d+)/.exec((await kc.execute('%listen')).stdout)![1]);
  const b = await kc.execute(`%attach --pid ${pid}`);
  expect(b.reply.content.status).toBe('ok');
  const t2 = attachedThread(b.stdout);
  await kc.execute(`%detach ${t2}`);
  expect(kernelPorts()).toContain(port);
  await kc.execute('%listen --stop');
  expect(kernelPorts()).toEqual(before);
});

test('discovery lists only a short label and a redacted command line, never the runner or the kernel', async () => {
  const secret = await startServer(writeServer(), ['--inspect-port=0'], {});
  const withArgs = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', '--token=s3cr3t-value', 'https://u:pa55word@example.com/?token=qq'], { stdio: 'ignore' });
  try {
    const body = await dap.ok<{ processes: { pid: number; label: string; command: string }[] }>('listTargets', { ports: [] });
    const pids = body.processes.map((p) => p.pid);
    expect(pids).not.toContain(runnerPid);
    expect(pids).not.toContain(kc.proc.pid);
    expect(body.processes.find((p) => p.pid === secret.child.pid)).toMatchObject({ label: `server.js (pid ${secret.child.pid})` });
    const shown = body.processes.find((p) => p.pid === withArgs.pid);
    expect(shown).toBeDefined();
    expect(shown!.command).toContain('--token=***');
    expect(shown!.command).toContain('u:***@example.com/?token=***');
    expect(JSON.stringify(body)).not.toMatch(/s3cr3t|pa55word|=qq/);

    const t = await kc.execute('%targets');
    expect(t.stdout).toContain(`server.js (pid ${secret.child.pid})`);
    expect(t.stdout).not.toMatch(/s3cr3t|pa55word|=qq/);
    expect(t.stdout).not.toMatch(new RegExp(`\\(pid (${runnerPid}|${kc.proc.pid})\\)`));
  } finally {
    withArgs.kill('SIGKILL');
    await secret.stop();
  }
});
