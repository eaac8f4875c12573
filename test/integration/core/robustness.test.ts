// The kernel survives what users and networks throw at it: interrupts, process.exit, crashes,
// garbage frames, bad or replayed signatures, unknown message types, huge messages, requests
// during a running cell — and keeps answering heartbeats.

import { createHmac } from 'node:crypto';
import { KernelClient, withTimeout, type Msg } from '../../helpers/kernelClient';

let k: KernelClient;
beforeAll(async () => {
  k = await KernelClient.start();
});
afterAll(async () => {
  await k.shutdown();
});

const result = (r: Awaited<ReturnType<KernelClient['execute']>>) => r.outputs.find((m) => m.header.msg_type === 'execute_result')?.content.data['text/plain'];

test('interrupt_request stops a synchronous infinite loop and keeps state', async () => {
  await k.execute('const kept = "state"');
  const run = k.run('while (true) {}');
  await k.waitIopub((m) => m.header.msg_type === 'execute_input' && m.parent_header.msg_id === run.msgId);
  const ir = await k.request('control', 'interrupt_request', {});
  expect(ir.content.status).toBe('ok');
  const reply = await withTimeout(run.reply, 5000, 'interrupted reply');
  expect(reply.content).toMatchObject({ status: 'error', ename: 'KeyboardInterrupt' });
  expect(result(await k.execute('kept'))).toBe("'state'");
});

test("interrupts landing at every moment of a cell's start end it and never lose the runner", async () => {
  // (bench/stress-interrupt.mjs runs hundreds of these; see runtime/runner/sigint.ts.)
  await k.execute('var startsKept = "state"');
  for (let i = 0; i < 30; i++) {
    const run = k.run(i % 2 ? 'while (true) {}' : 'await new Promise(() => {})');
    await k.waitIopub((m) => m.header.msg_type === 'execute_input' && m.parent_header.msg_id === run.msgId);
    const delay = i % 6;
    if (delay) await new Promise((r) => setTimeout(r, delay));
    await k.request('control', 'interrupt_request', {});
    const reply = await withTimeout(run.reply, 5000, `interrupted reply ${i}`);
    expect({ i, ename: reply.content.ename }).toEqual({ i, ename: 'KeyboardInterrupt' });
    await k.waitIdle(run.msgId);
  }
  expect(result(await k.execute('startsKept'))).toBe("'state'");
});

test("a cell's own SIGINT listener hears the interrupt of an awaiting cell; interrupts never lose the runner", async () => {
  const pid = result(await k.execute('let heard = 0; process.on("SIGINT", (name) => (heard += name === "SIGINT" ? 1 : 100)); process.pid'));
  const interrupt = async (code: string, started: (m: Msg, msgId: string) => boolean) => {
    const run = k.run(code);
    await k.waitIopub((m) => started(m, run.msgId));
    await k.request('control', 'interrupt_request', {});
    const { ename, evalue } = (await withTimeout(run.reply, 5000, `interrupted ${code}`)).content;
    await k.waitIdle(run.msgId);
    return ename === 'KeyboardInterrupt' ? ename : `${ename}: ${evalue}`;
  };
  const printed = (m: Msg, msgId: string) => m.header.msg_type === 'stream' && m.parent_header.msg_id === msgId && m.content.text.includes('waiting');
  expect(await interrupt("console.log('waiting'); await new Promise(() => {})", printed)).toBe('KeyboardInterrupt');
  expect(result(await k.execute('heard'))).toBe('1');
  // With the listener there, interrupts landing at any moment of a cell's start.
  const input = (m: Msg, msgId: string) => m.header.msg_type === 'execute_input' && m.parent_header.msg_id === msgId;
  for (let i = 0; i < 10; i++) expect(await interrupt(i % 2 ? 'await new Promise(() => {})' : 'while (true) {}', input)).toBe('KeyboardInterrupt');
  expect(result(await k.execute('process.pid'))).toBe(pid);
}, 30_000);

test('SIGINT to the kernel process interrupts the running cell', async () => {
  const run = k.run('for (;;) {}');
  await k.waitIopub((m) => m.header.msg_type === 'execute_input' && m.parent_header.msg_id === run.msgId);
  k.proc.kill('SIGINT');
  expect((await withTimeout(run.reply, 5000, 'reply')).content.ename).toBe('KeyboardInterrupt');
});

test('interrupting an awaiting cell ends it', async () => {
  const run = k.run('await new Promise(() => {})');
  await k.waitIopub((m) => m.header.msg_type === 'execute_input' && m.parent_header.msg_id === run.msgId);
  await k.request('control', 'interrupt_request', {});
  expect((await withTimeout(run.reply, 5000, 'reply')).content.ename).toBe('KeyboardInterrupt');
});

test('an asynchronous runaway loop is ended by restarting the runner, with a clear message', async () => {
  const code = 'await new Promise((r) => setTimeout(() => { require("fs").writeSync(1, "spinning\\n"); for (;;) {} }, 10))';
  const run = k.run(code);
  // The loop runs in a timer callback, outside the cell's synchronous part.
  await k.waitIopub((m) => m.header.msg_type === 'stream' && m.content.text.includes('spinning'));
  await k.request('control', 'interrupt_request', {});
  const reply = await withTimeout(run.reply, 10000, 'reply');
  expect(reply.content.status).toBe('error');
  expect(reply.content.evalue).toMatch(/KeyboardInterrupt|restarted/i);
  expect(result(await k.execute('1 + 1'))).toBe('2');
});

test('an interrupt while the cell waits for a restarting runner ends that cell', async () => {
  expect((await k.execute('process.exit(2)')).reply.content.status).toBe('error');
  // The fresh runner takes a Node start-up (50+ ms); the interrupt lands before it is ready.
  const run = k.run('"should not run"');
  await k.waitIopub((m) => m.header.msg_type === 'execute_input' && m.parent_header.msg_id === run.msgId);
  await k.request('control', 'interrupt_request', {});
  const reply = await withTimeout(run.reply, 10000, 'reply');
  expect(reply.content).toMatchObject({ status: 'error', ename: 'KeyboardInterrupt' });
  expect(result(await k.execute('40 + 2'))).toBe('42');
});

test('interrupt while idle is harmless', async () => {
  expect((await k.request('control', 'interrupt_request', {})).content.status).toBe('ok');
  expect(result(await k.execute('3'))).toBe('3');
});

test('process.exit() in a cell: the kernel stays up, says what happened, and the next cell works', async () => {
  const r = await k.execute('process.exit(3)');
  expect(r.reply.content.status).toBe('error');
  expect(r.reply.content.evalue).toMatch(/exited with code 3/);
  expect(result(await k.execute('"fresh runner"'))).toBe("'fresh runner'");
});

test('out of memory in user code is reported and the kernel recovers', async () => {
  const r = await k.execute('const hog: number[][] = []; for (;;) hog.push(new Array(1e6).fill(1));', {}, 120000);
  expect(r.reply.content.status).toBe('error');
  expect(r.reply.content.evalue).toMatch(/out of memory|killed|exited/i);
  expect(result(await k.execute('"after oom"'))).toBe("'after oom'");
}, 150000);

test('garbage frames, bad and missing signatures, replays are dropped; the kernel keeps going', async () => {
  await k.sendRaw('shell', [Buffer.from('garbage')]);
  await k.sendRaw('shell', [Buffer.from('<IDS|MSG>'), Buffer.from('sig'), Buffer.from('{'), Buffer.from('{}'), Buffer.from('{}'), Buffer.from('{}')]);
  const frames = k.makeMessage('execute_request', { code: 'globalThis.sideEffect = (globalThis.sideEffect ?? 0) + 1', silent: false, store_history: false, user_expressions: {}, allow_stdin: false });
  const bad = [...frames];
  bad[1] = Buffer.from('0'.repeat(64));
  await k.sendRaw('shell', bad);
  const unsigned = [...frames];
  unsigned[1] = Buffer.from('');
  await k.sendRaw('shell', unsigned);
  await k.sendRaw('shell', frames); // valid: runs once
  await k.sendRaw('shell', frames); // replayed: dropped
  expect(result(await k.execute('globalThis.sideEffect'))).toBe('1');
  expect(await k.heartbeat()).toBe(true);
  expect(k.stderr).toMatch(/bad signature/);
  expect(k.stderr).toMatch(/duplicate signature/);
});

test('a signature over different content is rejected', async () => {
  const frames = k.makeMessage('kernel_info_request', {});
  frames[5] = Buffer.from(JSON.stringify({ tampered: true }));
  await k.sendRaw('shell', frames);
  const sig = createHmac('sha256', 'wrong key').update('x').digest('hex');
  await k.sendRaw('control', [Buffer.from('<IDS|MSG>'), Buffer.from(sig), ...frames.slice(2)]);
  expect((await k.request('shell', 'kernel_info_request', {})).content.status).toBe('ok');
});

test('unknown message types get an error reply', async () => {
  const r = await k.request('shell', 'frobnicate_request', {});
  expect(r.header.msg_type).toBe('frobnicate_reply');
  expect(r.content).toMatchObject({ status: 'error', ename: 'UnknownMessageType' });
  const c = await k.request('control', 'nonsense_request', {});
  expect(c.content.status).toBe('error');
});

test('10 MB messages are handled', async () => {
  const big = 'x'.repeat(10 * 1024 * 1024);
  const r = await k.execute(`const big = "${big}";\nbig.length`, {}, 60000);
  expect(result(r)).toBe(String(big.length));
});

test('requests during a running cell are answered (control at once, shell info too), heartbeat too', async () => {
  const run = k.run('const end = Date.now() + 1500; while (Date.now() < end) {}\n"done"');
  await k.waitIopub((m) => m.header.msg_type === 'execute_input' && m.parent_header.msg_id === run.msgId);
  const t0 = Date.now();
  const info = await k.request('control', 'kernel_info_request', {});
  expect(info.content.status).toBe('ok');
  expect(await k.heartbeat()).toBe(true);
  const shellInfo = await k.request('shell', 'kernel_info_request', {});
  expect(shellInfo.content.status).toBe('ok');
  expect(Date.now() - t0).toBeLessThan(1000);
  expect((await run.reply).content.status).toBe('ok');
});

test('busy and idle bracket control requests, parented to them', async () => {
  const { msgId, reply } = k.send('control', 'kernel_info_request', {});
  await reply;
  await k.waitIdle(msgId);
  const states = k
    .iopubFor(msgId)
    .filter((m) => m.header.msg_type === 'status')
    .map((m) => m.content.execution_state);
  expect(states).toEqual(['busy', 'idle']);
});
