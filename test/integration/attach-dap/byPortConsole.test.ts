// A by-port target's console output reaches the notebook like an agent's: after %attach PORT, a
// real request makes the server console.log, and the line appears under the latest cell tagged
// with the thread; console.error goes to stderr; what it logged before the attach is not replayed.
jest.setTimeout(60000);

import * as fs from 'node:fs';
import { DapClient } from '../../helpers/dapClient';
import { KernelClient, type Msg } from '../../helpers/kernelClient';
import { attachedThread, startServer, writeServer, type Server } from './serverHelpers';

let kc: KernelClient;
let dap: DapClient;
let server: Server;

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'javascript' });
  dap = new DapClient(kc);
  await dap.start('javascript');
  const file = writeServer();
  // The shared server, plus a console.error with a format string and an object on /err.
  fs.writeFileSync(
    file,
    fs.readFileSync(file, 'utf8').replace('function handle(req, res) {', "function handle(req, res) { if (req.url === '/err') console.error('bad %s', 'thing', { a: 1, b: 'x' });"),
  );
  server = await startServer(file, ['--inspect=127.0.0.1:0']);
});
afterAll(async () => {
  await kc?.shutdown();
  await server?.stop();
});

const streamText = (m: Msg): string => (m.header.msg_type === 'stream' ? String(m.content.text) : '');

test("the target's console output is forwarded to the notebook, tagged with its thread", async () => {
  const port = Number((await server.waitStderr(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//))[1]);
  const threadId = attachedThread((await kc.execute(`%attach ${port}`)).stdout);
  const from = kc.iopubAll.length;
  expect(await server.get('/console-check', 5000)).toBe(`hello /console-check from ${server.child.pid}`);
  const line = await kc.waitIopub((m) => streamText(m).includes(`[thread ${threadId}] served /console-check`), 10000, 'the forwarded console line');
  expect(line.content.name).toBe('stdout');

  // console.error and objects, formatted like Node's console.
  await server.get('/err', 5000);
  const err = await kc.waitIopub((m) => streamText(m).includes(`[thread ${threadId}] bad thing { a: 1, b: 'x' }`), 10000, 'the forwarded console.error');
  expect(err.content.name).toBe('stderr');

  // The HTTP_PORT line the server logged at start-up (before the attach) was not replayed.
  const texts = kc.iopubAll.map(streamText).join('');
  expect(texts).not.toContain('HTTP_PORT');
  expect(kc.iopubAll.slice(from).some((m) => streamText(m).includes('served /console-check'))).toBe(true);
  await kc.execute(`%detach ${threadId}`);
});
