// The attach requests, their replies and the attach events, as the real kernel sends them over
// ZeroMQ, validated against schema/attach.schema.json (JSON Schema 2020-12, ajv): listen,
// listTargets, attachTarget by port and by agent, detachTarget, attachedTarget / agentWaiting /
// detachedTarget / output events; the token the listener issues; and the schema rejects requests
// the kernel rejects.
jest.setTimeout(60000);

import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DapClient } from '../../helpers/dapClient';
import { KernelClient } from '../../helpers/kernelClient';
import { startServer, writeServer, type Server } from './serverHelpers';

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'schema', 'attach.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(schema);

function check(def: string, value: unknown): void {
  const validate = ajv.getSchema(`${schema.$id}#/$defs/${def}`);
  if (!validate) throw new Error(`no $defs/${def} in the schema`);
  const ok = validate(value);
  if (!ok) throw new Error(`${def} does not match the schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value, null, 1)}`);
}

let kc: KernelClient;
let dap: DapClient;
const servers: Server[] = [];

beforeAll(async () => {
  kc = await KernelClient.start({ language: 'javascript' });
  dap = new DapClient(kc);
  await dap.start('javascript');
});
afterAll(async () => {
  await kc?.shutdown();
  await Promise.all(servers.map((s) => s.stop()));
});

/** Sends a custom request (validated first) and validates the reply body. */
async function exchange(command: string, args: object, requestDef: string, bodyDef?: string): Promise<any> {
  check(requestDef, { type: 'request', seq: 1, command, arguments: args });
  const body = await dap.ok(command, args);
  if (bodyDef) check(bodyDef, body);
  return body;
}

test('requests, replies and events of a real attach session match the schema', async () => {
  const from = dap.mark();
  const listen = await exchange('listen', { tokenTtlSeconds: 120 }, 'listenRequest', 'listenResponseBody');
  expect(listen.listening).toBe(true);
  check('attachToken', listen.token);

  const file = writeServer();
  const byPort = await startServer(file, ['--inspect=127.0.0.1:0']);
  servers.push(byPort);
  const inspectPort = Number((await byPort.waitStderr(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//))[1]);
  const register = /--import (\S+) app\.js/.exec(listen.commands.import)![1];
  const byAgent = await startServer(file, ['--import', register], { TSKERNEL_ATTACH_TOKEN: listen.token });
  servers.push(byAgent);
  const waiting = await dap.waitEvent('agentWaiting', from, 15000);

  const found = await exchange('listTargets', { ports: [inspectPort], scanProcesses: true }, 'listTargetsRequest', 'listTargetsResponseBody');
  expect(JSON.stringify(found)).toContain(String(inspectPort));

  const a = await exchange('attachTarget', { port: inspectPort }, 'attachTargetRequest', 'attachTargetResponseBody');
  const b = await exchange('attachTarget', { agentId: waiting.body.id }, 'attachTargetRequest', 'attachTargetResponseBody');
  check('attachedTarget', a.target);
  // The agent's server prints on a request: an output event tagged with its thread.
  expect(await byAgent.get('/schema')).toContain('hello /schema');
  await dap.waitEvent('output', from, 10000, (e) => e.body?.threadId === b.target.threadId);

  await exchange('detachTarget', { threadId: a.target.threadId }, 'detachTargetRequest');
  await exchange('detachTarget', { threadId: b.target.threadId }, 'detachTargetRequest');
  await dap.waitEvent('detachedTarget', from, 10000, (e) => e.body?.threadId === b.target.threadId);
  await exchange('listen', { stop: true }, 'listenRequest', 'listenResponseBody');

  const events = dap
    .events()
    .slice(from)
    .filter((e) => ['attachedTarget', 'detachedTarget', 'agentWaiting', 'output'].includes(e.event));
  expect(new Set(events.map((e) => e.event))).toEqual(new Set(['attachedTarget', 'detachedTarget', 'agentWaiting', 'output']));
  for (const e of events) {
    check('targetEvent', e);
    if (e.event === 'attachedTarget') check('attachedTarget', e.body);
  }
});

test('what the kernel refuses, the schema refuses too', async () => {
  const bad: Array<[string, object, string]> = [
    ['attachTarget', { port: 70000 }, 'attachTargetRequest'],
    ['attachTarget', { port: 9229, pid: 1 }, 'attachTargetRequest'],
    ['detachTarget', { threadId: 1 }, 'detachTargetRequest'],
    ['listen', { port: -1 }, 'listenRequest'],
  ];
  for (const [command, args, def] of bad) {
    expect(() => check(def, { type: 'request', seq: 1, command, arguments: args })).toThrow(/does not match/);
    const r = await dap.request(command, args);
    expect({ command, args, success: r.success }).toEqual({ command, args, success: false });
  }
});
