// The other request types from a real client: kernel_info, complete, inspect, is_complete,
// history, comms, stdin (input_request), and shutdown.

import { KernelClient } from '../../helpers/kernelClient';

let k: KernelClient;
beforeAll(async () => {
  k = await KernelClient.start();
});
afterAll(async () => {
  await k.shutdown();
});

test('kernel_info on shell and control describes the language and protocol 5.5', async () => {
  for (const ch of ['shell', 'control'] as const) {
    const r = await k.request(ch, 'kernel_info_request', {});
    expect(r.header.msg_type).toBe('kernel_info_reply');
    expect(r.content).toMatchObject({
      status: 'ok',
      protocol_version: '5.5',
      implementation: 'tskernel',
      language_info: { name: 'typescript', mimetype: 'text/typescript', file_extension: '.ts', pygments_lexer: 'typescript' },
    });
  }
});

test('complete_request offers members of runtime values with the right cursor range', async () => {
  await k.execute('const obj = { alpha: 1, alps: 2, beta: 3 }');
  const code = 'obj.al';
  const r = await k.request('shell', 'complete_request', { code, cursor_pos: code.length });
  expect(r.content.status).toBe('ok');
  expect(r.content.matches).toEqual(expect.arrayContaining(['alpha', 'alps']));
  expect(r.content.matches).not.toContain('beta');
  expect(r.content.cursor_start).toBe(4);
  expect(r.content.cursor_end).toBe(6);
});

test('complete_request with the cursor past the end or empty code still replies', async () => {
  expect((await k.request('shell', 'complete_request', { code: 'obj.', cursor_pos: 999 })).content.status).toBe('ok');
  expect((await k.request('shell', 'complete_request', { code: '', cursor_pos: 0 })).content.status).toBe('ok');
  expect((await k.request('shell', 'complete_request', {})).content.status).toBe('ok');
});

test('inspect_request shows a preview of the runtime value', async () => {
  const r = await k.request('shell', 'inspect_request', { code: 'obj', cursor_pos: 2, detail_level: 0 });
  expect(r.content.status).toBe('ok');
  expect(r.content.found).toBe(true);
  expect(r.content.data['text/plain']).toContain('alpha: 1');
});

test('is_complete_request replies with a status', async () => {
  const r = await k.request('shell', 'is_complete_request', { code: 'let a = 1' });
  expect(r.content.status).toBe('complete');
});

test('history: tail, range and search', async () => {
  await k.execute('const histMarker = 1');
  const tail = await k.request('shell', 'history_request', { hist_access_type: 'tail', n: 2, output: false, raw: true });
  expect(tail.content.status).toBe('ok');
  expect(tail.content.history.at(-1)[2]).toBe('const histMarker = 1');
  const search = await k.request('shell', 'history_request', { hist_access_type: 'search', pattern: '*histMarker*', output: false, raw: true });
  expect(search.content.history.map((h: unknown[]) => h[2])).toContain('const histMarker = 1');
  const range = await k.request('shell', 'history_request', { hist_access_type: 'range', session: 0, start: 1, stop: 1000, output: true, raw: true });
  expect(range.content.history.length).toBeGreaterThan(0);
  expect(Array.isArray(range.content.history[0][2])).toBe(true);
});

test('comms: a target registered in a cell receives open and messages, and replies', async () => {
  await k.execute('comms.registerTarget("echo", (comm, data) => { comm.onMsg((d) => comm.send({ echo: d })); comm.send({ opened: data }); });');
  const open = k.send('shell', 'comm_open', { comm_id: 'c1', target_name: 'echo', data: { hello: 1 } });
  await k.waitIopub((m) => m.header.msg_type === 'comm_msg' && m.content.comm_id === 'c1' && m.content.data.opened?.hello === 1);
  await k.waitIdle(open.msgId);
  const info = await k.request('shell', 'comm_info_request', { target_name: 'echo' });
  expect(info.content.comms).toEqual({ c1: { target_name: 'echo' } });
  k.send('shell', 'comm_msg', { comm_id: 'c1', data: { ping: 2 } });
  await k.waitIopub((m) => m.header.msg_type === 'comm_msg' && m.content.data.echo?.ping === 2);
  k.send('shell', 'comm_open', { comm_id: 'c2', target_name: 'nobody', data: {} });
  await k.waitIopub((m) => m.header.msg_type === 'comm_close' && m.content.comm_id === 'c2');
  const kernelSide = await k.execute('const kc = comms.open("from-kernel", { x: 1 }); kc.id');
  const openMsg = kernelSide.outputs.find((m) => m.header.msg_type === 'comm_open');
  expect(openMsg?.content).toMatchObject({ target_name: 'from-kernel', data: { x: 1 } });
});

test('stdin: prompt() and input() ask the frontend and get its answer', async () => {
  k.stdinHandler = (m) => {
    if (m.header.msg_type === 'input_request') void k.sendRaw('stdin', k.makeMessage('input_reply', { value: m.content.password ? 'secret' : 'Ada' }));
  };
  const r = await k.execute('const name = prompt("Name? ");\nconst pw = await input("Password: ", { password: true });\n`${name}:${pw}`', { allow_stdin: true });
  expect(r.outputs.find((m) => m.header.msg_type === 'execute_result')?.content.data['text/plain']).toBe("'Ada:secret'");
});

test('stdin without allow_stdin gives a clear error', async () => {
  const r = await k.execute('prompt("x")', { allow_stdin: false });
  expect(r.reply.content).toMatchObject({ status: 'error', ename: 'StdinNotAllowedError' });
});

test('shutdown_request replies and the kernel exits', async () => {
  const other = await KernelClient.start();
  const exited = new Promise<number | null>((r) => other.proc.once('exit', (code) => r(code)));
  const t0 = Date.now();
  const r = await other.request('control', 'shutdown_request', { restart: false });
  expect(r.content).toMatchObject({ status: 'ok', restart: false });
  expect(await exited).toBe(0);
  expect(Date.now() - t0).toBeLessThan(3000);
  await other.shutdown();
});
