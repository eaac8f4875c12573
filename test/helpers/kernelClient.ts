// A test client that starts the real kernel (node kernel/dist/cli/main.js kernel -f ...) with a
// fresh connection file on free loopback ports and talks to it over real ZeroMQ sockets:
// signed requests on shell/control/stdin, IOPub collected per parent msg_id, heartbeats.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zmq from 'zeromq';
import { decodeFrames, freePort, signedMessage } from '../fixtures/jupyterWire.cjs';

export const ROOT = path.resolve(__dirname, '..', '..');
export const KERNEL_MAIN = path.join(ROOT, 'kernel', 'dist', 'cli', 'main.js');

export interface Msg {
  header: { msg_id: string; msg_type: string; session: string; date: string; username: string; version: string };
  parent_header: { msg_id?: string; msg_type?: string };
  metadata: Record<string, unknown>;
  content: Record<string, any>;
  buffers: Buffer[];
  channel: string;
}

// Free ports (below the ephemeral range), signing and decoding: shared with bench/client.mjs.
export { freePort };

/** An execution in flight: its msg_id and its reply. */
export interface Execution {
  msgId: string;
  reply: Promise<Msg>;
}

export interface StartOptions {
  language?: 'typescript' | 'javascript';
  cwd?: string;
  env?: Record<string, string>;
  /** The address the kernel binds and the client dials (default 127.0.0.1), for a kernel on another host. */
  ip?: string;
  /** A command the kernel is started through (e.g. `ip netns exec NS`), for a kernel on another host. */
  wrap?: string[];
}

export class KernelClient {
  readonly key = randomBytes(16).toString('hex');
  readonly session = randomUUID();
  proc!: ChildProcess;
  stderr = '';
  // Like jupyter_client, shell and stdin share an identity: input_request is routed to it.
  private readonly identity = `client-${randomUUID()}`;
  private shell = new zmq.Dealer({ routingId: this.identity });
  private control = new zmq.Dealer();
  private stdin = new zmq.Dealer({ routingId: this.identity });
  private iopub = new zmq.Subscriber();
  private hb = new zmq.Request();
  private replies = new Map<string, (m: Msg) => void>();
  private iopubByParent = new Map<string, Msg[]>();
  private iopubWaiters: Array<{ pred: (m: Msg) => boolean; resolve: (m: Msg) => void }> = [];
  readonly iopubAll: Msg[] = [];
  stdinHandler: ((m: Msg) => void) | undefined;
  ports!: Record<string, number>;
  connectionFile!: string;
  private sendQueues = new Map<zmq.Socket, Promise<void>>();

  static async start(opts: StartOptions = {}): Promise<KernelClient> {
    const c = new KernelClient();
    await c.launch(opts);
    return c;
  }

  private async launch(opts: StartOptions): Promise<void> {
    const names = ['shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port'];
    this.ports = {};
    for (const n of names) this.ports[n] = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-test-'));
    this.connectionFile = path.join(dir, 'kernel.json');
    const ip = opts.ip ?? '127.0.0.1';
    fs.writeFileSync(this.connectionFile, JSON.stringify({ ...this.ports, ip, transport: 'tcp', key: this.key, signature_scheme: 'hmac-sha256', kernel_name: 'typescript' }), {
      mode: 0o600,
    });
    const [cmd, ...pre] = [...(opts.wrap ?? []), process.execPath];
    this.proc = spawn(cmd, [...pre, KERNEL_MAIN, 'kernel', '-f', this.connectionFile, '--language', opts.language ?? 'typescript'], {
      cwd: opts.cwd ?? dir,
      env: { ...process.env, TSKERNEL_HISTORY_FILE: path.join(dir, 'history.jsonl'), ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc.stderr!.on('data', (d) => (this.stderr += d.toString()));
    this.proc.stdout!.on('data', (d) => (this.stderr += d.toString()));
    const ep = (p: string) => `tcp://${ip}:${this.ports[p]}`;
    this.shell.connect(ep('shell_port'));
    this.control.connect(ep('control_port'));
    this.stdin.connect(ep('stdin_port'));
    this.iopub.connect(ep('iopub_port'));
    this.iopub.subscribe();
    this.hb.connect(ep('hb_port'));
    this.hb.receiveTimeout = 5000;
    for (const [sock, ch] of [
      [this.shell, 'shell'],
      [this.control, 'control'],
      [this.stdin, 'stdin'],
      [this.iopub, 'iopub'],
    ] as const) {
      void this.loop(sock, ch);
    }
    // Wait until the kernel answers (IOPub subscription is slow to join: retry kernel_info).
    const deadline = Date.now() + 15000;
    for (;;) {
      const r = await this.requestWithTimeout('shell', 'kernel_info_request', {}, 500).catch(() => undefined);
      if (r) {
        await this.waitIdle(r.parent_header.msg_id!, 2000).catch(() => undefined);
        break;
      }
      if (Date.now() > deadline) throw new Error(`kernel did not start: ${this.stderr}`);
    }
  }

  private async loop(sock: zmq.Dealer | zmq.Subscriber, channel: string): Promise<void> {
    try {
      for await (const frames of sock) {
        const m = this.decode(frames, channel);
        if (!m) continue;
        if (channel === 'iopub') {
          this.iopubAll.push(m);
          const pid = m.parent_header.msg_id ?? '';
          if (!this.iopubByParent.has(pid)) this.iopubByParent.set(pid, []);
          this.iopubByParent.get(pid)!.push(m);
          this.iopubWaiters = this.iopubWaiters.filter((w) => {
            if (w.pred(m)) {
              w.resolve(m);
              return false;
            }
            return true;
          });
        } else if (channel === 'stdin') {
          this.stdinHandler?.(m);
        } else {
          const pid = m.parent_header.msg_id ?? '';
          this.replies.get(pid)?.(m);
          this.replies.delete(pid);
        }
      }
    } catch {
      /* socket closed */
    }
  }

  private decode(frames: Buffer[], channel: string): Msg | undefined {
    const m = decodeFrames(frames, this.key);
    return m && { ...m, channel };
  }

  makeMessage(msgType: string, content: object): Buffer[] {
    return signedMessage(this.key, this.session, 'test', msgType, content).frames;
  }

  socket(channel: 'shell' | 'control' | 'stdin'): zmq.Dealer {
    return channel === 'shell' ? this.shell : channel === 'control' ? this.control : this.stdin;
  }

  /** Sends raw frames (for bad-input tests), serialized per socket. */
  async sendRaw(channel: 'shell' | 'control' | 'stdin', frames: Buffer[]): Promise<void> {
    const sock = this.socket(channel);
    const prev = this.sendQueues.get(sock) ?? Promise.resolve();
    const next = prev.then(() => sock.send(frames));
    this.sendQueues.set(
      sock,
      next.catch(() => undefined),
    );
    await next;
  }

  /** Sends a request; resolves with its reply. */
  async request(channel: 'shell' | 'control' | 'stdin', msgType: string, content: object, timeoutMs = 30000): Promise<Msg> {
    return this.requestWithTimeout(channel, msgType, content, timeoutMs);
  }

  send(channel: 'shell' | 'control' | 'stdin', msgType: string, content: object): { msgId: string; reply: Promise<Msg> } {
    const frames = this.makeMessage(msgType, content);
    const msgId = JSON.parse(frames[2].toString()).msg_id as string;
    const reply = new Promise<Msg>((resolve) => this.replies.set(msgId, resolve));
    void this.sendRaw(channel, frames);
    return { msgId, reply };
  }

  private requestWithTimeout(channel: 'shell' | 'control' | 'stdin', msgType: string, content: object, timeoutMs: number): Promise<Msg> {
    const { msgId, reply } = this.send(channel, msgType, content);
    return withTimeout(reply, timeoutMs, `${msgType} reply`).finally(() => this.replies.delete(msgId));
  }

  /** IOPub messages whose parent is `msgId`, received so far. */
  iopubFor(msgId: string): Msg[] {
    return this.iopubByParent.get(msgId) ?? [];
  }

  waitIopub(pred: (m: Msg) => boolean, timeoutMs = 20000, what = 'iopub message'): Promise<Msg> {
    const have = this.iopubAll.find(pred);
    if (have) return Promise.resolve(have);
    return withTimeout(new Promise<Msg>((resolve) => this.iopubWaiters.push({ pred, resolve })), timeoutMs, what);
  }

  waitIdle(msgId: string, timeoutMs = 20000): Promise<Msg> {
    return this.waitIopub((m) => m.header.msg_type === 'status' && m.content.execution_state === 'idle' && m.parent_header.msg_id === msgId, timeoutMs, `idle for ${msgId}`);
  }

  /** Sends an execute_request without waiting: for cells that stop, spin or must be interrupted. */
  run(code: string, extra: object = {}): Execution {
    return this.send('shell', 'execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true, ...extra });
  }

  /** The reply of an execution started with `run`, once its idle has arrived too. */
  async finish(exec: Execution, timeoutMs = 20000): Promise<Msg> {
    const r = await withTimeout(exec.reply, timeoutMs, 'execute_reply');
    await this.waitIdle(exec.msgId, timeoutMs);
    return r;
  }

  /** Runs code; resolves with the reply and every IOPub message of that request up to its idle. */
  async execute(code: string, extra: object = {}, timeoutMs = 30000): Promise<{ reply: Msg; iopub: Msg[]; outputs: Msg[]; stdout: string; stderr: string }> {
    const { msgId, reply } = this.run(code, extra);
    const r = await withTimeout(reply, timeoutMs, 'execute_reply');
    await this.waitIdle(msgId, timeoutMs);
    const iopub = this.iopubFor(msgId);
    const outputs = iopub.filter((m) => !['status', 'execute_input'].includes(m.header.msg_type));
    const text = (name: string) =>
      outputs
        .filter((m) => m.header.msg_type === 'stream' && m.content.name === name)
        .map((m) => m.content.text)
        .join('');
    return { reply: r, iopub, outputs, stdout: text('stdout'), stderr: text('stderr') };
  }

  async heartbeat(): Promise<boolean> {
    await this.hb.send('ping');
    const [r] = await this.hb.receive();
    return r.toString() === 'ping';
  }

  /** Shuts the kernel down (killed if it does not exit in time) and closes the sockets; a kernel that already ended only has its sockets closed. */
  async shutdown(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      await this.request('control', 'shutdown_request', { restart: false }, 5000).catch(() => undefined);
      await withTimeout(exited, 5000, 'kernel exit').catch(() => this.proc.kill('SIGKILL'));
    }
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) {
      s.linger = 0;
      s.close();
    }
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (t = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)))]).finally(() => clearTimeout(t));
}
