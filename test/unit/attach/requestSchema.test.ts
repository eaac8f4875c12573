// The attach requests' arguments are checked by attach.schema.json itself (ajv, compiled once):
// what the schema accepts reaches the AttachManager unchanged, what it refuses is answered with
// one sentence naming the argument. Through the debugger's public entry point (handleRequest),
// as a client sees it, and on the checker directly for the messages of each kind of refusal.

import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import schema from '../../../kernel/src/attach/attach.schema.json';
import { checkAttachArguments, type AttachRequestArguments, type AttachRequestCommand } from '../../../kernel/src/attach/requestSchema';
import { CellFiles } from '../../../kernel/src/common/cellFiles';
import { logger } from '../../../kernel/src/common/log';
import { createDebugger } from '../../../kernel/src/debugger';
import type { IDebugger } from '../../../kernel/src/debugger/api';
import { StubCdp } from '../doubles/stubCdp';

test('attach.schema.json is a valid JSON Schema 2020-12 document (the kernel skips this check at run time)', () => {
  const ajv = new Ajv2020({ strict: true });
  addFormats(ajv);
  expect(ajv.validateSchema(schema)).toBe(true);
  expect(ajv.errors ?? null).toBeNull();
  // And it compiles as a whole, strictly (unknown keywords or formats would throw).
  expect(() => ajv.compile(schema)).not.toThrow();
});

function refusal(command: AttachRequestCommand, args: unknown): string {
  const r = checkAttachArguments(command, args);
  if (r.ok) throw new Error(`${command} ${JSON.stringify(args)} was accepted`);
  return r.message;
}

function accepted<K extends AttachRequestCommand>(command: K, args: AttachRequestArguments[K] | undefined): AttachRequestArguments[K] {
  const r = checkAttachArguments(command, args);
  if (!r.ok) throw new Error(`${command} ${JSON.stringify(args)} was refused: ${r.message}`);
  return r.value;
}

test('what the panel and the magics send is accepted as sent; optional arguments left out are {}', () => {
  expect(accepted('listen', { host: '0.0.0.0', port: 0, allowNonLoopback: true, tokenTtlSeconds: 600 })).toEqual({ host: '0.0.0.0', port: 0, allowNonLoopback: true, tokenTtlSeconds: 600 });
  expect(accepted('listen', { stop: true })).toEqual({ stop: true });
  expect(accepted('listen', undefined)).toEqual({});
  expect(accepted('listTargets', undefined)).toEqual({});
  expect(accepted('listTargets', { ports: [9229, 9300], scanProcesses: false })).toEqual({ ports: [9229, 9300], scanProcesses: false });
  expect(accepted('attachTarget', { port: 9229, host: 'build-box', allowNonLoopback: true })).toEqual({ port: 9229, host: 'build-box', allowNonLoopback: true });
  expect(accepted('attachTarget', { pid: 4242, inspectorPorts: [9229] })).toEqual({ pid: 4242, inspectorPorts: [9229] });
  expect(accepted('attachTarget', { agentId: 'ag1' })).toEqual({ agentId: 'ag1' });
  expect(accepted('detachTarget', { threadId: 2 })).toEqual({ threadId: 2 });
});

test('each kind of refusal names the argument and what the schema asks of it', () => {
  expect(refusal('attachTarget', { port: 70000 })).toBe("'port' must be between 1 and 65535");
  expect(refusal('attachTarget', { port: '9229' })).toBe("'port' must be an integer");
  expect(refusal('attachTarget', { pid: 0 })).toBe("'pid' must be 1 or more");
  expect(refusal('attachTarget', { pid: 42, inspectorPorts: new Array(17).fill(9229) })).toBe("'inspectorPorts' must be a list of at most 16 items");
  expect(refusal('attachTarget', { port: 9229, pid: 1 })).toBe('attachTarget takes exactly one of port, pid or agentId');
  expect(refusal('attachTarget', {})).toBe('attachTarget takes exactly one of port, pid or agentId');
  expect(refusal('attachTarget', { agentId: 'ag1', host: 'x' })).toBe("attachTarget has no argument 'host' (it takes agentId)");
  expect(refusal('attachTarget', undefined)).toBe("'arguments' must be an object");
  expect(refusal('detachTarget', { threadId: 1 })).toBe("'threadId' must be 2 or more (the thread id of an attached process; 1 is the notebook)");
  expect(refusal('detachTarget', {})).toBe("detachTarget needs 'threadId'");
  expect(refusal('listen', { port: -1 })).toBe("'port' must be between 0 and 65535");
  expect(refusal('listen', { tokenTtlSeconds: 5 })).toBe("'tokenTtlSeconds' must be between 10 and 86400");
  expect(refusal('listen', { stop: 'yes' })).toBe("'stop' must be true or false (close the listener and revoke all tokens)");
  expect(refusal('listen', { hots: '0.0.0.0' })).toBe("listen has no argument 'hots' (it takes host, port, allowNonLoopback, advertiseHost, tokenTtlSeconds, stop)");
  expect(refusal('listTargets', { ports: [9229, 0] })).toBe("'ports[1]' must be between 1 and 65535");
  expect(refusal('listTargets', { ports: new Array(65).fill(9229) })).toBe("'ports' must be a list of at most 64 items");
});

describe('through the debugger', () => {
  let dbg: IDebugger;
  let cdp: StubCdp;
  let seq = 1;

  beforeEach(() => {
    cdp = new StubCdp();
    dbg = createDebugger({
      language: 'javascript',
      cells: new CellFiles('javascript', 4343, '/tmp/tskernel-unit-attach'),
      log: logger('dap'),
      emit: () => undefined,
      onRunner: (cb) => cb({ stream: cdp.kernelEnd, pid: 0 }),
    });
    cdp.hello();
  });

  afterEach(async () => {
    await dbg.dispose();
    cdp.close();
  });

  const req = (command: string, args?: unknown) => dbg.handleRequest({ seq: seq++, type: 'request', command, arguments: args });

  test('a refused request fails with the schema sentence; an accepted one reaches the attach manager', async () => {
    expect(await req('attachTarget', { port: 9229, pid: 1 })).toMatchObject({ success: false, message: 'attachTarget takes exactly one of port, pid or agentId' });
    expect(await req('detachTarget', { threadId: 1 })).toMatchObject({ success: false, message: expect.stringMatching(/^'threadId' must be 2 or more/) });
    expect(await req('listen', { port: 65536 })).toMatchObject({ success: false, message: "'port' must be between 0 and 65535" });
    // Accepted: the manager answers (no inspector asked, no process scan, nothing attached).
    expect(await req('listTargets', { ports: [], scanProcesses: false })).toMatchObject({ success: true, body: { inspectors: [], processes: [], agents: [], attached: [] } });
    // Accepted too, and refused by the manager for its own reason: no such thread.
    const r = await req('detachTarget', { threadId: 7 });
    expect(r.success).toBe(false);
    expect(r.message).not.toMatch(/must be|takes exactly|has no argument/);
  });
});
