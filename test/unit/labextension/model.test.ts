// The labextension's model (labextension/src/model.ts) against a fake debugger service and kernel
// (fakes.ts): what the section shows (threads, states, discovery, notice, error, listener) and
// which debug requests it sends, for the flows of the Node processes section.

import { NodeProcessesModel } from '../../../labextension/src/model';
import { readSettings, UNSET } from '../../../labextension/src/settings';
import { FakeKernel, FakeService, next, trans } from './fakes';

function setup(kernel: FakeKernel | null = new FakeKernel(), options: Partial<NodeProcessesModel.IOptions> = {}) {
  const service = new FakeService(kernel);
  const shown: number[] = [];
  const model = new NodeProcessesModel({
    service,
    trans,
    refreshDelayMs: 0,
    autoSelectDelayMs: 0,
    showThread: (id) => {
      shown.push(id);
      return true;
    },
    ...options,
  });
  return { service, model, shown, kernel: kernel ?? new FakeKernel() };
}

const models: NodeProcessesModel[] = [];
afterEach(() => {
  for (const m of models.splice(0)) m.dispose();
});
function track<T extends { model: NodeProcessesModel }>(s: T): T {
  models.push(s.model);
  return s;
}

const view = (m: NodeProcessesModel) => m.threads.map((t) => `${t.threadId}:${t.state}`);

test('another kernel: hidden, says why, asks for nothing but kernel_info', async () => {
  const { model, kernel } = track(setup(new FakeKernel('pyodide')));
  const visible = next(model.visibilityChanged, 'visibilityChanged');
  await model.refresh();
  expect(await visible).toBe(false);
  expect(model.isTskernel).toBe(false);
  expect(model.notice).toMatch(/not tskernel/);
  expect(model.canAttach).toBe(false);
  expect(model.canListen).toBe(false);
  expect(kernel.requests).toEqual([]);
});

test('another kernel with showForOtherKernels: shown', async () => {
  const { model } = track(setup(new FakeKernel('pyodide')));
  model.setSettings({ ...UNSET, showForOtherKernels: true });
  const visible = next(model.visibilityChanged, 'visibilityChanged');
  await model.refresh();
  expect(await visible).toBe(true);
});

test('no kernel: the notice says to open a notebook; attaching says there is no kernel', async () => {
  const { model } = track(setup(null));
  await model.refresh();
  expect(model.hasKernel).toBe(false);
  expect(model.notice).toMatch(/Open a notebook/);
  expect(model.threads).toEqual([]);
  expect(model.canAttach).toBe(false);
  expect(await model.attachPid(5)).toBeUndefined();
  expect(model.error).toMatch(/^No kernel/);
});

test('debugger off: notice, attach refused without a request', async () => {
  const { model, service, kernel } = track(setup());
  service.isStarted = false;
  await model.refresh();
  expect(model.isTskernel).toBe(true);
  expect(model.notice).toMatch(/Turn the debugger on/);
  expect(model.canAttach).toBe(false);
  expect(model.canListen).toBe(true);
  expect(await model.attachPid('123')).toBeUndefined();
  expect(model.error).toMatch(/Turn the debugger on first/);
  expect(kernel.requestsOf('attachTarget')).toEqual([]);
});

test('refresh: notebook, processes and their workers in order; paused from debugInfo; attached pids left out of discovery', async () => {
  const kernel = new FakeKernel();
  kernel.threads = [
    { id: 1, name: 'whatever' },
    { id: 2, name: 'server.js' },
    { id: 3, name: 'worker' },
    { id: 4, name: 'other.js' },
  ];
  kernel.attached = [
    { threadId: 2, name: 'server.js', pid: 100, via: 'port' },
    { threadId: 4, name: 'other.js', pid: 200, via: 'pid' },
    { threadId: 3, name: 'worker 1', pid: 100, via: 'worker', parentThreadId: 2 },
  ];
  kernel.stopped = [4];
  kernel.discovered.processes = [
    { pid: 100, command: 'node server.js', label: 'server.js' },
    { pid: 300, command: 'node idle.js', label: 'idle.js' },
  ];
  const { model } = track(setup(kernel));
  model.setSettings({ ...UNSET, ports: [9229, 9300] });
  await model.refresh();
  expect(model.threads.map((t) => [t.threadId, t.name, t.state, t.via])).toEqual([
    [1, 'Notebook', 'running', undefined],
    [2, 'server.js', 'running', 'port'],
    [3, 'worker 1', 'running', 'worker'],
    [4, 'other.js', 'paused', 'pid'],
  ]);
  expect(model.processes.map((p) => p.pid)).toEqual([300]);
  expect(kernel.requestsOf('listTargets').at(-1)?.arguments).toEqual({ ports: [9229, 9300], scanProcesses: true });
  expect(model.canDetach(2)).toBe(true);
  expect(model.canDetach(3)).toBe(false);
  expect(model.canDetach(1)).toBe(false);
});

test('before the settings arrive, discovery uses the kernel\u2019s own ports', async () => {
  const { model, kernel } = track(setup());
  await model.refresh();
  expect(kernel.requestsOf('listTargets')[0].arguments).toEqual({ scanProcesses: true });
});

test('a collapsed section runs no discovery', async () => {
  const { model, kernel } = track(setup(new FakeKernel(), { isShown: () => false }));
  await model.refresh();
  expect(model.isTskernel).toBe(true);
  expect(kernel.requestsOf('listTargets')).toEqual([]);
});

test('attach by port: the row, its endpoint marks the discovered inspector attached, modules re-read', async () => {
  const kernel = new FakeKernel();
  kernel.discovered.inspectors = [{ host: '127.0.0.1', port: 9229, targets: [] }];
  const { model, service } = track(setup(kernel));
  await model.refresh();
  expect(model.isInspectorAttached(model.inspectors[0])).toBe(false);
  const refreshed = next(model.refreshed, 'the refresh after attaching');
  const id = await model.attachAddress(' 9229 ');
  expect(id).toBe(2);
  expect(kernel.requestsOf('attachTarget')[0].arguments).toEqual({ port: 9229 });
  expect(model.getThread(2)).toMatchObject({ state: 'running', endpoint: '127.0.0.1:9229', via: 'port' });
  expect(model.isInspectorAttached({ host: 'localhost', port: 9229 })).toBe(true);
  expect(model.lastAttachMs).toBe(12);
  expect(service.displayModules).toHaveBeenCalled();
  await refreshed;
  expect(view(model)).toEqual(['1:running', '2:running']);
});

test('attach by host:port: not this machine only when the settings allow the host', async () => {
  const { model, kernel } = track(setup());
  await model.refresh();
  expect(await model.attachAddress('build-box:9229')).toBeUndefined();
  expect(model.error).toMatch(/build-box is not on this machine/);
  expect(kernel.requestsOf('attachTarget')).toEqual([]);
  model.setSettings(readSettings({ allowedHosts: [' build-box '] }));
  expect(await model.attachAddress('build-box:9229')).toBe(2);
  expect(model.error).toBe('');
  expect(kernel.requestsOf('attachTarget')[0].arguments).toEqual({ port: 9229, host: 'build-box', allowNonLoopback: true });
  expect(await model.attachAddress('[::1]:9230')).toBe(3);
  expect(kernel.requestsOf('attachTarget')[1].arguments).toEqual({ port: 9230, host: '::1' });
});

test('what is not a port or a pid is refused with a message', async () => {
  const { model, kernel } = track(setup());
  await model.refresh();
  expect(await model.attachAddress('ninety')).toBeUndefined();
  expect(model.error).toBe('Enter an inspector port (e.g. 9229) or host:port.');
  expect(await model.attachAddress('70000')).toBeUndefined();
  expect(await model.attachPid('-3')).toBeUndefined();
  expect(model.error).toBe('Enter a process id.');
  expect(kernel.requestsOf('attachTarget')).toEqual([]);
});

test('a failed attach: busy while pending, then the kernel\u2019s message; no row', async () => {
  const kernel = new FakeKernel();
  kernel.scripted.set('attachTarget', [{ success: false, message: 'pid 77 is not a Node process' }]);
  kernel.hold('attachTarget');
  const { model } = track(setup(kernel));
  await model.refresh();
  const pending = model.attachPid(77);
  expect(model.busy).toBe(true);
  expect(model.canAttach).toBe(false);
  kernel.release('attachTarget');
  expect(await pending).toBeUndefined();
  expect(model.busy).toBe(false);
  expect(model.error).toBe('Attaching to pid 77 failed: pid 77 is not a Node process');
  expect(view(model)).toEqual(['1:running']);
});

test('attach an agent from discovery', async () => {
  const kernel = new FakeKernel();
  kernel.discovered.agents = [{ id: 'ag1', pid: 555, node: 'v20', remoteAddress: '127.0.0.1', title: 'app.js', connectedAt: 0 }];
  const { model } = track(setup(kernel));
  await model.refresh();
  expect(await model.attachAgent('ag1')).toBe(2);
  expect(kernel.requestsOf('attachTarget')[0].arguments).toEqual({ agentId: 'ag1' });
  expect(model.getThread(2)?.via).toBe('agent');
});

test('detach: the row is exited (detached), then an explicit refresh forgets it', async () => {
  const { model, kernel } = track(setup());
  await model.refresh();
  await model.attachPid(4242);
  await model.detach(2);
  expect(kernel.requestsOf('detachTarget')[0].arguments).toEqual({ threadId: 2 });
  expect(model.getThread(2)).toMatchObject({ state: 'exited', reason: 'detached' });
  expect(model.canDetach(2)).toBe(false);
  // A refresh keeps it (exited); the explicit one (toolbar) forgets it.
  await model.refresh();
  expect(view(model)).toEqual(['1:running', '2:exited']);
  const refreshed = next(model.refreshed, 'the explicit refresh');
  model.refreshAll();
  expect(view(model)).toEqual(['1:running']);
  await refreshed;
  expect(view(model)).toEqual(['1:running']);
});

test('events: stopped pauses and selects a thread, continued shows the next paused one', async () => {
  const kernel = new FakeKernel();
  kernel.threads.push({ id: 2, name: 'server.js' });
  kernel.attached = [{ threadId: 2, name: 'server.js', pid: 9, via: 'port' }];
  const { model, service, shown } = track(setup(kernel));
  await model.refresh();
  service.event('stopped', { threadId: 2, reason: 'breakpoint' });
  service.event('stopped', { threadId: 1, reason: 'debugger statement' });
  expect(view(model)).toEqual(['1:paused', '2:paused']);
  expect(model.selected).toBe(1);
  expect(model.currentThread).toBe(1);
  // The user picks the server: the patch shows it (the service then re-announces the stop).
  model.select(2);
  expect(shown).toEqual([2]);
  expect(model.selected).toBe(2);
  service.event('stopped', { threadId: 2, reason: 'focus' });
  expect(model.currentThread).toBe(2);
  // Continue the server: the notebook, still paused, is shown next.
  service.event('continued', { threadId: 2 });
  expect(view(model)).toEqual(['1:paused', '2:running']);
  await next(model.stateChanged, 'the notebook shown after the continue');
  expect(shown).toEqual([2, 1]);
  // Selecting a running thread does nothing.
  model.select(2);
  expect(shown).toEqual([2, 1]);
});

test('a refresh asked for before an event does not undo what the event said', async () => {
  const kernel = new FakeKernel();
  kernel.threads.push({ id: 2, name: 'server.js' });
  kernel.attached = [{ threadId: 2, name: 'server.js', pid: 9, via: 'port' }];
  const { model, service } = track(setup(kernel));
  await model.refresh();
  // The kernel's state at the time of the request: thread 2 paused.
  kernel.stopped = [2];
  kernel.hold('threads');
  const refreshing = model.refresh();
  // ...but it continued and its process went away before the reply arrived.
  service.event('continued', { threadId: 2 });
  service.event('thread', { threadId: 2, reason: 'exited' });
  kernel.release('threads');
  await refreshing;
  expect(model.getThread(2)?.state).toBe('exited');
  // A later refresh (the kernel no longer lists it) agrees.
  kernel.attached = [];
  kernel.threads = kernel.threads.filter((t) => t.id !== 2);
  kernel.stopped = [];
  await model.refresh();
  expect(model.getThread(2)?.state).toBe('exited');
});

test('detachedTarget and attachRejected events', async () => {
  const { model, service } = track(setup());
  await model.refresh();
  await model.attachPid(4242);
  service.event('detachedTarget', { threadId: 2, reason: 'process exited' });
  expect(model.getThread(2)).toMatchObject({ state: 'exited', reason: 'process exited' });
  service.event('attachRejected', { reason: 'bad token' });
  expect(model.error).toBe('An agent was rejected: bad token');
  service.event('attachRejected', {});
  expect(model.error).toBe('An agent was rejected: unknown reason');
});

test('events with bodies of the wrong shape change nothing', async () => {
  const { model, service } = track(setup());
  await model.refresh();
  service.event('stopped', { threadId: '1' });
  service.eventMessage.emit({ event: 'stopped', body: 'nonsense' });
  expect(view(model)).toEqual(['1:running']);
  expect(model.selected).toBeUndefined();
});

test('listen: loopback by default, the one-time command; a non-loopback address asks for it explicitly; stop', async () => {
  const { model, kernel } = track(setup());
  await model.refresh();
  await model.listen();
  expect(kernel.requestsOf('listen')[0].arguments).toEqual({ host: '127.0.0.1' });
  expect(model.listenInfo).toMatchObject({ host: '127.0.0.1', port: 7001, token: 'tsk1.abc', command: expect.stringMatching(/^TSKERNEL_ATTACH_TOKEN=tsk1\.abc node --import/) });
  model.setSettings(readSettings({ listenAddress: '0.0.0.0' }));
  await model.listen();
  expect(kernel.requestsOf('listen')[1].arguments).toEqual({ host: '0.0.0.0', allowNonLoopback: true });
  // On a host with several networks: the address the other host dials goes into the command.
  model.setSettings(readSettings({ listenAddress: '0.0.0.0', advertiseAddress: ' 10.0.5.7 ' }));
  await model.listen();
  expect(kernel.requestsOf('listen')[2].arguments).toEqual({ host: '0.0.0.0', allowNonLoopback: true, advertiseHost: '10.0.5.7' });
  await model.stopListening();
  expect(kernel.requestsOf('listen')[3].arguments).toEqual({ stop: true });
  expect(model.listenInfo).toBeNull();
});

test('another kernel on the session: the table starts over', async () => {
  const first = new FakeKernel();
  const { model, service } = track(setup(first));
  await model.refresh();
  await model.attachPid(4242);
  await model.listen();
  expect(view(model)).toEqual(['1:running', '2:running']);
  const second = new FakeKernel();
  service.session = { connection: { kernel: second } };
  await model.refresh();
  expect(view(model)).toEqual(['1:running']);
  expect(model.listenInfo).toBeNull();
});

test('a failed refresh says so and keeps the rows', async () => {
  const kernel = new FakeKernel();
  const { model } = track(setup(kernel));
  await model.refresh();
  kernel.scripted.set('listTargets', [{ success: false, message: 'boom' }]);
  await model.refresh();
  expect(model.error).toBe('Could not list processes: boom');
  expect(view(model)).toEqual(['1:running']);
});

test('readSettings keeps valid values only', () => {
  expect(readSettings({ ports: [9229, 0, 70000, 9230.5, 9231], allowedHosts: ['a', '', 3, ' b '], listenAddress: '  ', showForOtherKernels: 'yes' })).toEqual({
    ports: [9229, 9231],
    allowedHosts: ['a', 'b'],
    listenAddress: '127.0.0.1',
    advertiseAddress: '',
    showForOtherKernels: false,
  });
  expect(readSettings({}).ports).toBeUndefined();
});
