// Attach to servers built on the frameworks users run (test/fixtures/frameworks, its own npm
// install like a user's project): Express 4 (CommonJS), Fastify 5 (an ES module with top-level
// await), Koa 2 with @koa/router (async middleware). Each one by pid (three attach/stop/detach
// cycles on the same process), by port (--inspect, two cycles; the user's port stays open) and
// through the agent (%listen, `node --import register.js`): a breakpoint in the route handler, a
// real request stops there, the handler's parameter is among the locals, `next` runs the first
// line and `id` evaluates to the request's path parameter, continue answers the request, detach
// leaves the server serving.
jest.setTimeout(120000);

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { attachedThread, attachSuite, probePort, type Server } from './serverHelpers';

const DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'frameworks');
/** The handler's first statement in every app; `id` is assigned there. */
const LINE = 5;

beforeAll(() => {
  if (!fs.existsSync(path.join(DIR, 'node_modules', 'express'))) throw new Error(`${DIR} has no node_modules: run scripts/setup.sh (it installs the framework servers' dependencies)`);
});
const suite = attachSuite();

/** Breakpoint in the handler, a request, stop, locals, next, evaluate, continue: the request is answered. */
async function stopInHandler(server: Server, threadId: number, param: string, id: string): Promise<void> {
  const source = { path: server.file };
  const bps = await suite.dap.ok<{ breakpoints: DebugProtocol.Breakpoint[] }>('setBreakpoints', { source, breakpoints: [{ line: LINE }], sourceModified: false });
  expect(bps.breakpoints[0]).toMatchObject({ verified: true, line: LINE });
  const from = suite.dap.mark();
  const response = server.get(`/item/${id}`);
  const stopped = await suite.dap.waitEvent('stopped', from, 15000, (e) => e.body?.threadId === threadId);
  expect(stopped.body.reason).toBe('breakpoint');
  const { stackFrames } = await suite.dap.ok<{ stackFrames: DebugProtocol.StackFrame[] }>('stackTrace', { threadId });
  expect(stackFrames[0]).toMatchObject({ line: LINE, source: { path: server.file } });
  const { scopes } = await suite.dap.ok<{ scopes: DebugProtocol.Scope[] }>('scopes', { frameId: stackFrames[0].id });
  const locals = (await suite.dap.ok<{ variables: DebugProtocol.Variable[] }>('variables', { variablesReference: scopes[0].variablesReference })).variables;
  expect(locals.map((v) => v.name)).toContain(param);

  const fromStep = suite.dap.mark();
  await suite.dap.ok('next', { threadId });
  await suite.dap.waitEvent('stopped', fromStep, 15000, (e) => e.body?.threadId === threadId && e.body?.reason === 'step');
  const top = (await suite.dap.ok<{ stackFrames: DebugProtocol.StackFrame[] }>('stackTrace', { threadId })).stackFrames[0];
  expect(top.line).toBe(LINE + 1);
  expect((await suite.dap.ok<{ result: string }>('evaluate', { expression: 'id', frameId: top.id, context: 'repl' })).result).toBe(`'${id}'`);

  await suite.dap.ok('setBreakpoints', { source, breakpoints: [], sourceModified: false });
  await suite.dap.ok('continue', { threadId });
  expect(await response).toBe(`hello /item/${id} from ${server.child.pid}`);
}

async function detach(server: Server, threadId: number): Promise<void> {
  const from = suite.dap.mark();
  await suite.dap.ok('detachTarget', { threadId });
  await suite.dap.waitEvent('thread', from, 5000, (e) => e.body?.threadId === threadId && e.body?.reason === 'exited');
  expect(await server.get('/item/after')).toBe(`hello /item/after from ${server.child.pid}`);
}

describe.each([
  ['Express', 'express-app.js', 'req'],
  ['Fastify', 'fastify-app.mjs', 'request'],
  ['Koa', 'koa-app.js', 'ctx'],
])('%s', (_name, file, param) => {
  const app = path.join(DIR, file);

  test('by pid: three attach, stop, detach cycles on one process', async () => {
    const server = await suite.servers.start(app, ['--inspect-port=0']);
    for (let cycle = 0; cycle < 3; cycle++) {
      const body = await suite.dap.ok<{ target: { threadId: number }; inspectorClosed: boolean }>('attachTarget', { pid: server.child.pid });
      expect(body.inspectorClosed).toBe(true);
      await stopInHandler(server, body.target.threadId, param, `p${cycle}`);
      await detach(server, body.target.threadId);
    }
    expect(server.child.exitCode).toBeNull();
  });

  test('by port: two cycles, and the port stays as the user opened it', async () => {
    const server = await suite.servers.start(app, ['--inspect=127.0.0.1:0']);
    const port = Number((await server.waitStderr(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//))[1]);
    for (let cycle = 0; cycle < 2; cycle++) {
      const body = await suite.dap.ok<{ target: { threadId: number } }>('attachTarget', { port });
      await stopInHandler(server, body.target.threadId, param, `q${cycle}`);
      await detach(server, body.target.threadId);
    }
    expect(await probePort(port)).toBe('open');
  });

  test('through the agent: %listen, node --import register.js, %attach, %detach', async () => {
    const l = await suite.kc.execute('%listen');
    const m = /TSKERNEL_ATTACH_TOKEN=(tsk1\.[A-Za-z0-9_-]+) node --import (\S+) app\.js/.exec(l.stdout);
    expect(m).not.toBeNull();
    const from = suite.dap.mark();
    const server = await suite.servers.start(app, ['--import', m![2]], { TSKERNEL_ATTACH_TOKEN: m![1] });
    await suite.dap.waitEvent('agentWaiting', from, 15000, (e) => e.body?.pid === server.child.pid);
    const a = await suite.kc.execute('%attach');
    expect(a.reply.content.status).toBe('ok');
    const threadId = attachedThread(a);
    await stopInHandler(server, threadId, param, 'a1');
    const d = await suite.kc.execute('%detach');
    expect(d.reply.content.status).toBe('ok');
    expect(await server.get('/item/after')).toBe(`hello /item/after from ${server.child.pid}`);
  });
});
