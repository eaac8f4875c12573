// Shutting down a kernel that never attached anything logs no link errors: the runner's CDP pipe
// closing at shutdown is expected (it used to log `agent link error: read ECONNRESET`).
jest.setTimeout(60000);

import { DapClient } from '../../helpers/dapClient';
import { KernelClient } from '../../helpers/kernelClient';

test.each([
  ['without the debugger', false],
  ['with the debugger started', true],
])('shutdown %s logs no link error', async (_name, debug) => {
  const kc = await KernelClient.start({ language: 'javascript' });
  if (debug) await new DapClient(kc).start('javascript');
  expect((await kc.execute('1 + 1')).reply.content.status).toBe('ok');
  await kc.shutdown();
  expect(kc.proc.exitCode ?? kc.proc.signalCode).not.toBeNull();
  expect(kc.stderr).not.toMatch(/link error|ECONNRESET|EPIPE/);
});
