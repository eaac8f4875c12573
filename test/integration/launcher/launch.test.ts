// `tskernel launch` as a gateway sees it, without the gateway's Python (test/gateway runs that one):
// a real launcher process, a response socket here that receives and decrypts its payload (RSA
// opened raw, PKCS#1 v1.5 and PKCS#7 padding checked by hand: Node no longer PKCS#1-decrypts),
// the kernel reached over ZeroMQ with the key from the payload, the comm port driven the way
// Gateway Provisioners' _send_listener_request does (connect, one JSON object, close).

import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zmq from 'zeromq';
import { KERNEL_MAIN, withTimeout } from '../../helpers/kernelClient';

jest.setTimeout(60_000);

const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
const PUBLIC_KEY_ARG = publicKey
  .export({ type: 'spki', format: 'pem' })
  .toString()
  .replace(/-----(BEGIN|END) PUBLIC KEY-----|\n/g, '');

type ConnInfo = Record<string, string | number>;

function decryptPayload(wire: string): ConnInfo {
  const outer = JSON.parse(Buffer.from(wire, 'base64').toString('utf8')) as { version: number; key: string; conn_info: string };
  expect(outer.version).toBe(1);
  const raw = crypto.privateDecrypt({ key: privateKey, padding: crypto.constants.RSA_NO_PADDING }, Buffer.from(outer.key, 'base64'));
  expect([raw[0], raw[1]]).toEqual([0, 2]);
  const aesKey = raw.subarray(raw.indexOf(0, 2) + 1);
  expect(aesKey.length).toBe(16);
  const decipher = crypto.createDecipheriv('aes-128-ecb', aesKey, null); // checks PKCS#7 padding
  return JSON.parse(Buffer.concat([decipher.update(Buffer.from(outer.conn_info, 'base64')), decipher.final()]).toString('utf8')) as ConnInfo;
}

/** A response socket like the gateway's: one connection, read to EOF. */
async function responseSocket(): Promise<{ port: number; payload: Promise<string>; close: () => void }> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const payload = new Promise<string>((resolve) =>
    server.once('connection', (s) => {
      let data = '';
      s.on('data', (d) => (data += d.toString('ascii')));
      s.on('end', () => resolve(data));
    }),
  );
  return { port: (server.address() as net.AddressInfo).port, payload, close: () => server.close() };
}

function commRequest(port: number, request: object): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.end(JSON.stringify(request)));
    s.on('error', reject);
    s.on('close', () => resolve());
  });
}

function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]);
  } catch {
    return false;
  }
}

/** The few Jupyter messages this test sends, signed with the payload's key. */
class Client {
  private shell = new zmq.Dealer();
  private control = new zmq.Dealer();
  private iopub = new zmq.Subscriber();
  private waiters: Array<{ pred: (m: any) => boolean; resolve: (m: any) => void }> = [];
  private readonly session = crypto.randomUUID();

  constructor(private info: ConnInfo) {
    const ep = (p: string): string => `tcp://127.0.0.1:${info[p]}`;
    this.shell.connect(ep('shell_port'));
    this.control.connect(ep('control_port'));
    this.iopub.connect(ep('iopub_port'));
    this.iopub.subscribe();
    for (const s of [this.shell, this.control, this.iopub]) void this.loop(s);
  }

  private async loop(sock: zmq.Dealer | zmq.Subscriber): Promise<void> {
    try {
      for await (const frames of sock) {
        const f = (frames as Buffer[]).map((b) => b.toString());
        const i = f.indexOf('<IDS|MSG>');
        const msg = { header: JSON.parse(f[i + 2]), parent_header: JSON.parse(f[i + 3]), content: JSON.parse(f[i + 5]) };
        this.waiters = this.waiters.filter((w) => (w.pred(msg) ? (w.resolve(msg), false) : true));
      }
    } catch {
      /* closed */
    }
  }

  wait(pred: (m: any) => boolean, ms: number, what: string): Promise<any> {
    return withTimeout(new Promise((resolve) => this.waiters.push({ pred, resolve })), ms, what);
  }

  async send(channel: 'shell' | 'control', msgType: string, content: object): Promise<string> {
    const header = { msg_id: crypto.randomUUID(), msg_type: msgType, session: this.session, username: 'test', date: new Date().toISOString(), version: '5.3' };
    const parts = [header, {}, {}, content].map((p) => JSON.stringify(p));
    const hmac = crypto.createHmac('sha256', String(this.info.key));
    parts.forEach((p) => hmac.update(p));
    await (channel === 'shell' ? this.shell : this.control).send(['<IDS|MSG>', hmac.digest('hex'), ...parts]);
    return header.msg_id;
  }

  async request(channel: 'shell' | 'control', msgType: string, content: object, ms = 15_000): Promise<any> {
    const id = await this.send(channel, msgType, content);
    return this.wait((m) => m.parent_header.msg_id === id && m.header.msg_type.endsWith('_reply'), ms, msgType);
  }

  close(): void {
    for (const s of [this.shell, this.control, this.iopub]) s.close();
  }
}

function startLauncher(args: string[]): { proc: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, [KERNEL_MAIN, 'launch', ...args], {
    env: { ...process.env, TSKERNEL_HISTORY_FILE: path.join(os.tmpdir(), `tsk-launch-history-${process.pid}.jsonl`) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr.on('data', (d) => (err += d.toString()));
  proc.stdout.on('data', (d) => (err += d.toString()));
  const exited = new Promise<number | null>((r) =>
    proc.on('exit', (code, signal) => {
      // A death by signal is a failure of its own: say which, with the launcher's log.
      if (signal) err += `\n[test] the launcher ended by ${signal}`;
      r(code);
    }),
  );
  return { proc, stderr: () => err, exited };
}

test('payload, kernel on the payload key, interrupt / poll / shutdown over the comm port, clean exit', async () => {
  const rs = await responseSocket();
  const kernelId = crypto.randomUUID();
  const l = startLauncher([
    '--kernel-id',
    kernelId,
    '--port-range',
    '0..0',
    '--response-address',
    `127.0.0.1:${rs.port}`,
    '--public-key',
    PUBLIC_KEY_ARG,
    '--ip',
    '127.0.0.1',
    '--kernel-class-name',
    'ipykernel.ipkernel.IPythonKernel',
  ]);
  let client: Client | undefined;
  try {
    const info = decryptPayload(await withTimeout(rs.payload, 30_000, `the payload (${l.stderr()})`));
    expect(Object.keys(info)).toEqual([
      'shell_port',
      'iopub_port',
      'stdin_port',
      'control_port',
      'hb_port',
      'ip',
      'key',
      'transport',
      'signature_scheme',
      'kernel_name',
      'pid',
      'pgid',
      'comm_port',
      'kernel_id',
    ]);
    expect(info).toMatchObject({ ip: '127.0.0.1', transport: 'tcp', signature_scheme: 'hmac-sha256', pid: l.proc.pid, kernel_id: kernelId });
    expect(String(info.key)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number(info.pgid)).toBeGreaterThan(0);
    // The key is nowhere but in the payload and the private connection file.
    expect(l.stderr()).not.toContain(String(info.key));
    const dirs = fs
      .readdirSync(os.tmpdir())
      .filter((d) => d.startsWith('tskernel-launch-'))
      .map((d) => path.join(os.tmpdir(), d));
    const dir = dirs.find((d) => fs.existsSync(path.join(d, 'kernel.json')) && JSON.parse(fs.readFileSync(path.join(d, 'kernel.json'), 'utf8')).key === info.key)!;
    expect(dir).toBeDefined();
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'kernel.json')).mode & 0o777).toBe(0o600);

    client = new Client(info);
    const c = client;
    // ZeroMQ subscriptions join late: ask kernel_info until an answer comes.
    const deadline = Date.now() + 15_000;
    while (!(await c.request('shell', 'kernel_info_request', {}, 500).catch(() => undefined))) {
      if (Date.now() > deadline) throw new Error(`no kernel_info reply: ${l.stderr()}`);
    }

    await commRequest(Number(info.comm_port), { signum: 0 }); // the gateway's poll: nothing happens
    const ok = await c.request('shell', 'execute_request', { code: 'const n: number = 6 * 7; n', silent: false, store_history: true, user_expressions: {}, allow_stdin: false });
    expect(ok.content.status).toBe('ok');

    const busyId = await c.send('shell', 'execute_request', { code: 'while (true) {}', silent: false, store_history: true, user_expressions: {}, allow_stdin: false });
    const reply = c.wait((m) => m.parent_header.msg_id === busyId && m.header.msg_type === 'execute_reply', 15_000, 'the interrupted reply');
    await c.wait((m) => m.parent_header.msg_id === busyId && m.header.msg_type === 'execute_input', 15_000, 'the busy cell to start');
    await commRequest(Number(info.comm_port), { signum: 2 });
    expect((await reply).content.ename).toBe('KeyboardInterrupt');
    expect(alive(l.proc.pid!)).toBe(true);

    // Shutdown as the provisioner does it: shutdown_request, then {"shutdown": 1} on the comm port.
    await c.request('control', 'shutdown_request', { restart: false });
    await commRequest(Number(info.comm_port), { shutdown: 1 }).catch(() => undefined); // may already be gone
    expect({ code: await withTimeout(l.exited, 10_000, 'the launcher to exit'), log: l.stderr() }).toMatchObject({ code: 0 });
    await expect(commRequest(Number(info.comm_port), { signum: 0 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(fs.existsSync(dir)).toBe(false);
  } finally {
    client?.close();
    rs.close();
    if (l.proc.exitCode === null) l.proc.kill('SIGKILL');
  }
});

test('SIGTERM from the gateway (signum 15) is an orderly shutdown that removes the connection file', async () => {
  const rs = await responseSocket();
  const l = startLauncher(['--kernel-id', 'k-term', '--response-address', `127.0.0.1:${rs.port}`, '--public-key', PUBLIC_KEY_ARG, '--ip', '127.0.0.1', '--language', 'javascript']);
  try {
    const info = decryptPayload(await withTimeout(rs.payload, 30_000, 'the payload'));
    await commRequest(Number(info.comm_port), { signum: 15 });
    expect({ code: await withTimeout(l.exited, 10_000, 'the launcher to exit'), log: l.stderr() }).toMatchObject({ code: 0 });
    expect(l.stderr()).toMatch(/shutting down: SIGTERM/);
    const left = fs
      .readdirSync(os.tmpdir())
      .filter((d) => d.startsWith('tskernel-launch-'))
      .filter((d) => {
        try {
          return JSON.parse(fs.readFileSync(path.join(os.tmpdir(), d, 'kernel.json'), 'utf8')).key === info.key;
        } catch {
          return false;
        }
      });
    expect(left).toEqual([]);
  } finally {
    rs.close();
    if (l.proc.exitCode === null) l.proc.kill('SIGKILL');
  }
});

test('--orphan-timeout: polls keep the kernel, silence from the gateway ends it in an orderly way', async () => {
  const rs = await responseSocket();
  const l = startLauncher(['--kernel-id', 'k-orphan', '--response-address', `127.0.0.1:${rs.port}`, '--public-key', PUBLIC_KEY_ARG, '--ip', '127.0.0.1', '--orphan-timeout', '2']);
  try {
    const info = decryptPayload(await withTimeout(rs.payload, 30_000, 'the payload'));
    // Polls every 0.5 s for 4 s (twice the timeout): still there.
    for (let i = 0; i < 8; i++) {
      await commRequest(Number(info.comm_port), { signum: 0 });
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(l.proc.exitCode).toBeNull();
    const stopped = Date.now();
    expect({ code: await withTimeout(l.exited, 10_000, 'the orphaned kernel to exit'), log: l.stderr() }).toMatchObject({ code: 0 });
    expect(Date.now() - stopped).toBeGreaterThanOrEqual(1000);
    expect(l.stderr()).toMatch(/no request from the gateway for 2 s \(--orphan-timeout\)/);
    expect(l.stderr()).toMatch(/shutting down: SIGTERM/);
  } finally {
    rs.close();
    if (l.proc.exitCode === null) l.proc.kill('SIGKILL');
  }
});

test('no gateway at the response address: the launcher says so and exits, leaving nothing behind', async () => {
  // Port 1: nothing listens there, and nothing can come to: a port that was free a moment ago
  // (a closed listener's) may be taken meanwhile by one of the launcher's own ephemeral ports,
  // which then "receives" the connection info.
  const before = new Set(fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('tskernel-launch-')));
  const l = startLauncher(['--kernel-id', 'k-x', '--response-address', '127.0.0.1:1', '--public-key', PUBLIC_KEY_ARG, '--ip', '127.0.0.1']);
  const code = await withTimeout(l.exited, 20_000, 'the launcher to exit').catch((e: Error) => {
    throw new Error(`${e.message}; its stderr:\n${l.stderr()}`);
  });
  if (code !== 1) throw new Error(`the launcher exited with ${code}, not 1:\n${l.stderr()}`);
  expect(l.stderr()).toMatch(/could not send the connection info to 127\.0\.0\.1:\d+/);
  expect(fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('tskernel-launch-') && !before.has(d))).toEqual([]);
});

test('bad command lines are refused before anything is bound', async () => {
  const missing = startLauncher(['--response-address', '127.0.0.1:1', '--public-key', PUBLIC_KEY_ARG]);
  expect(await withTimeout(missing.exited, 10_000, 'exit')).toBe(2);
  expect(missing.stderr()).toContain("Parameter '--kernel-id' must be provided!");
  const badKey = startLauncher(['--kernel-id', 'k', '--response-address', '127.0.0.1:1', '--public-key', 'bm90IGEga2V5']);
  expect(await withTimeout(badKey.exited, 10_000, 'exit')).toBe(1);
  expect(badKey.stderr()).toMatch(/--public-key is not a base64 DER RSA public key/);
});
