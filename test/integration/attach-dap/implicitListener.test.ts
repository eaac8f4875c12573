// The TLS listener a by-pid attach starts on its own (no %listen) is shared by every target whose
// agent dialed back to it, and closed once none is left. An attach in progress counts too: here
// server A is attached by pid, the attach of server B by pid is sent, and A is killed while B's
// agent is still on its way back. B must still attach (closing the listener then left B's agent
// nowhere to dial: "no agent dialed back"), and detaching B closes the listener.
jest.setTimeout(60000);

import { listeningPorts } from '../../../kernel/src/attach/procfs';
import { DapClient } from '../../helpers/dapClient';
import { KernelClient, withTimeout } from '../../helpers/kernelClient';
import { ServerScope, writeServer } from './serverHelpers';

let kc: KernelClient;
let dap: DapClient;
const servers = new ServerScope();

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'javascript' });
  dap = new DapClient(kc);
  await dap.start('javascript');
});
afterEach(async () => {
  await dap.resetAttach();
  await servers.stopAll();
});
afterAll(async () => {
  await kc?.shutdown();
});

/** The kernel's listening TCP ports: its ZeroMQ sockets, plus the attach listener while it exists. */
function kernelPorts(): number[] {
  return (listeningPorts(kc.proc.pid!) ?? []).sort((a, b) => a - b);
}

interface AttachBody {
  target: { threadId: number; pid: number; via: string };
}

test('a by-pid target that goes away while another by-pid attach is in progress does not close the listener under it', async () => {
  const before = kernelPorts();
  // --inspect-port=0: SIGUSR1 opens each inspector on a free port, not a shared 9229.
  const a = await servers.start(writeServer(), ['--inspect-port=0']);
  const b = await servers.start(writeServer(), ['--inspect-port=0']);
  const first = await dap.ok<AttachBody>('attachTarget', { pid: a.child.pid });
  expect(kernelPorts().length).toBe(before.length + 1); // the implicit listener

  const from = dap.mark();
  const second = dap.sendOnly('attachTarget', { pid: b.child.pid });
  // B's attach is under way (its inspector opens, its agent is injected, then dials back, ~1 s);
  // A goes away now.
  await a.stop();
  await dap.waitEvent('detachedTarget', from, 10000, (e) => e.body?.threadId === first.target.threadId);

  const reply = (await withTimeout(second.reply, 20000, 'attachTarget B')).content as { success: boolean; message?: string; body: AttachBody };
  expect({ success: reply.success, message: reply.message }).toEqual({ success: true, message: undefined });
  expect(reply.body.target).toMatchObject({ pid: b.child.pid, via: 'pid' });
  await kc.waitIdle(second.msgId);
  // B's link works: its thread is listed, and the server keeps serving.
  const { threads } = await dap.ok<{ threads: { id: number }[] }>('threads');
  expect(threads.map((t) => t.id)).toContain(reply.body.target.threadId);
  expect(await b.get('/still', 5000)).toBe(`hello /still from ${b.child.pid}`);

  // The last target that needed it is detached: the listener is closed.
  const fromDetach = dap.mark();
  await dap.ok('detachTarget', { threadId: reply.body.target.threadId });
  await dap.waitEvent('detachedTarget', fromDetach, 10000, (e) => e.body?.threadId === reply.body.target.threadId);
  expect(kernelPorts()).toEqual(before);
});
