// Minimal Jupyter client for benchmarks: launches the kernel with a fresh connection file and
// sends signed requests over real ZeroMQ sockets; resolves replies and idles by parent msg_id.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import zmq from 'zeromq';
// Free ports, signing/decoding and JupyterLab's initialize arguments: the same code as test/helpers.
import { decodeFrames, freePort, jlabInitializeArgs, signedMessage } from '../test/fixtures/jupyterWire.cjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// TSKERNEL_BENCH_MAIN: another build's cli/main.js (A/B runs against a copy of an earlier dist).
const MAIN = process.env.TSKERNEL_BENCH_MAIN ?? path.join(ROOT, 'kernel', 'dist', 'cli', 'main.js');
// The Node flags `tskernel install` puts in the kernelspec (common/kernelEnv.ts) — of that build.
export const { KERNEL_NODE_FLAGS = [], KERNEL_ENV = {} } = createRequire(import.meta.url)(path.join(path.dirname(MAIN), '..', 'common', 'kernelEnv.js'));

/** The initialize arguments JupyterLab's debugger sends (what the benches replay). */
export const JLAB_INIT = jlabInitializeArgs('typescript');

export class BenchClient {
  constructor() {
    this.key = randomBytes(16).toString('hex');
    this.id = `bench-${randomUUID()}`;
    // Reconnect quickly: the kernel binds its ports only once it has started.
    this.shell = new zmq.Dealer({ routingId: this.id, reconnectInterval: 5 });
    this.control = new zmq.Dealer({ reconnectInterval: 5 });
    this.iopub = new zmq.Subscriber({ reconnectInterval: 5 });
    this.waiters = new Map();
    this.idles = new Map();
    this.streamText = new Map();
  }
  async start(language = 'typescript') {
    const ports = {};
    for (const n of ['shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port']) ports[n] = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-bench-'));
    const cf = path.join(dir, 'k.json');
    fs.writeFileSync(cf, JSON.stringify({ ...ports, ip: '127.0.0.1', transport: 'tcp', key: this.key, signature_scheme: 'hmac-sha256' }));
    this.t0 = performance.now();
    // The environment the installed kernelspec sets (malloc settings: common/kernelEnv.ts), unless the caller set it.
    this.proc = spawn(process.execPath, [...KERNEL_NODE_FLAGS, MAIN, 'kernel', '-f', cf, '--language', language], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...KERNEL_ENV, ...process.env, TSKERNEL_HISTORY_FILE: 'off' },
    });
    let stderrTail = '';
    this.proc.stderr.on('data', (d) => (stderrTail = (stderrTail + d).slice(-2000)));
    const ep = (p) => `tcp://127.0.0.1:${ports[p]}`;
    this.shell.connect(ep('shell_port'));
    this.control.connect(ep('control_port'));
    this.iopub.connect(ep('iopub_port'));
    this.iopub.subscribe();
    this.loop(this.shell);
    this.loop(this.control);
    this.loop(this.iopub, true);
    // First kernel_info reply: the time a frontend waits after launch.
    for (;;) {
      const r = await Promise.race([this.request('shell', 'kernel_info_request', {}).reply, new Promise((r) => setTimeout(r, 10))]);
      if (r) break;
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) throw new Error(`the kernel exited while starting (${this.proc.exitCode ?? this.proc.signalCode}):\n${stderrTail}`);
    }
    this.startupMs = performance.now() - this.t0;
    // Make sure IOPub is connected before measuring anything that waits for idle.
    for (;;) {
      const { idle } = this.request('shell', 'kernel_info_request', {});
      if (await Promise.race([idle.then(() => true), new Promise((r) => setTimeout(() => r(false), 200))])) break;
    }
  }
  async loop(sock, isIopub = false) {
    try {
      for await (const frames of sock) {
        // Not verified (the kernel's signatures are the tests' business, not a cost to measure).
        const m = decodeFrames(frames);
        if (!m) continue;
        const { header, parent_header: parent, content } = m;
        if (isIopub) {
          if (this.iopubWaiters?.length) {
            const i = this.iopubWaiters.findIndex((w) => w.pred(m));
            if (i >= 0) this.iopubWaiters.splice(i, 1)[0].resolve(m);
          }
          if (header.msg_type === 'debug_event' && this.eventWaiters) {
            const i = this.eventWaiters.findIndex((w) => w.event === content.event && (!w.pred || w.pred(content)));
            if (i >= 0) this.eventWaiters.splice(i, 1)[0].resolve(content);
          }
          if (header.msg_type === 'stream') this.streamText.set(parent.msg_id, (this.streamText.get(parent.msg_id) ?? '') + content.text);
          if (header.msg_type === 'status' && content.execution_state === 'idle') {
            this.idles.get(parent.msg_id)?.();
            this.idles.delete(parent.msg_id);
          }
        } else {
          this.waiters.get(parent.msg_id)?.({ header, content });
          this.waiters.delete(parent.msg_id);
        }
      }
    } catch {}
  }
  request(channel, type, content) {
    const { msgId, frames } = signedMessage(this.key, this.id, 'bench', type, content);
    const reply = new Promise((r) => this.waiters.set(msgId, r));
    const idle = new Promise((r) => this.idles.set(msgId, r));
    const sock = channel === 'shell' ? this.shell : this.control;
    this.sending = (this.sending ?? Promise.resolve()).then(() => sock.send(frames));
    return { msgId, reply, idle };
  }
  /** A debug_request on control (seq counted per client); resolves with the reply content after the idle. */
  async debugRequest(command, args) {
    this.dapSeq = (this.dapSeq ?? 0) + 1;
    const r = this.request('control', 'debug_request', { type: 'request', seq: this.dapSeq, command, ...(args !== undefined ? { arguments: args } : {}) });
    const reply = await r.reply;
    await r.idle;
    if (!reply.content.success) throw new Error(`${command}: ${reply.content.message}`);
    return reply.content.body;
  }
  /** Resolves with the next debug_event named `event` (and matching `pred`, if given). */
  nextEvent(event, pred) {
    return new Promise((resolve) => {
      (this.eventWaiters ??= []).push({ event, pred, resolve });
    });
  }
  /** Resolves with the next IOPub message `pred` accepts. */
  nextIopub(pred) {
    return new Promise((resolve) => {
      (this.iopubWaiters ??= []).push({ pred, resolve });
    });
  }
  async execute(code) {
    const r = this.request('shell', 'execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    const reply = await r.reply;
    await r.idle;
    return { reply, stdout: this.streamText.get(r.msgId) ?? '', msgId: r.msgId };
  }
  async executeReply(code) {
    const r = this.request('shell', 'execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    const reply = await r.reply;
    r.idle.then(() => {});
    return reply;
  }
  childPids() {
    try {
      return fs.readFileSync(`/proc/${this.proc.pid}/task/${this.proc.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }
  rssMb() {
    const pids = [this.proc.pid, ...this.childPids()];
    return pids.reduce((s, pid) => s + Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024, 0);
  }
  async shutdown() {
    const exited = new Promise((r) => this.proc.once('exit', r));
    const t = performance.now();
    this.request('control', 'shutdown_request', { restart: false });
    await exited;
    const ms = performance.now() - t;
    for (const s of [this.shell, this.control, this.iopub]) {
      s.linger = 0;
      s.close();
    }
    return ms;
  }
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
export const p90 = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length * 0.9)];
};
