// Helpers for the attach integration tests: a real HTTP server script in a temp dir started as a
// child Node process, bounded waits on its output, HTTP requests, and a fake agent (TLS client
// running the real handshake) for the hostile-peer cases. No sleeps: every wait is for a condition.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { fingerprintOf } from '../../../kernel/src/link/cert';
import { exportKeyingMaterial, runFramedHandshake } from '../../../kernel/src/link/framedHandshake';
import { AgentHandshake, type HandshakeResult } from '../../../kernel/src/link/handshake';
import type { AttachListener, Rejection } from '../../../kernel/src/attach/listener';
import { parseToken } from '../../../kernel/src/link/token';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const REGISTER_JS = path.join(ROOT, 'kernel', 'dist', 'agent', 'register.js');

const SERVER_JS = `
const http = require('http');
globalThis.answer = 42;
let hits = 0;
const server = http.createServer((req, res) => { hits++; res.end('ok ' + process.pid + ' ' + hits); });
server.listen(0, '127.0.0.1', () => console.log('HTTP_PORT ' + server.address().port));
`;

export interface Target {
  child: ChildProcess;
  httpPort: number;
  stderr(): string;
  stdout(): string;
  waitForStderr(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  get(pathName?: string, timeoutMs?: number): Promise<string>;
  alive(): boolean;
  kill(): Promise<void>;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-attach-'));
}

/** Resolves with the first match of `re` in what `read()` returns, re-checked on every chunk of `stream`. */
export function waitForText(read: () => string, stream: NodeJS.ReadableStream, re: RegExp, timeoutMs: number, what: string): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const m = re.exec(read());
      if (!m) return false;
      clearTimeout(timer);
      stream.off('data', onData);
      resolve(m);
      return true;
    };
    const onData = (): void => void check();
    const timer = setTimeout(() => {
      stream.off('data', onData);
      reject(new Error(`timed out waiting for ${re} on ${what}; got:\n${read()}`));
    }, timeoutMs);
    stream.on('data', onData);
    // Listeners run in registration order, so the accumulating listener below has already appended.
    check();
  });
}

export async function startTarget(nodeArgs: string[], env: Record<string, string> = {}): Promise<Target> {
  const dir = tempDir();
  const script = path.join(dir, 'server.js');
  fs.writeFileSync(script, SERVER_JS);
  const child = spawn(process.execPath, [...nodeArgs, script], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  let exited = false;
  const exitedP = new Promise<void>((r) => child.once('exit', () => ((exited = true), r())));
  const m = await waitForText(() => out, child.stdout, /HTTP_PORT (\d+)/, 15000, 'target stdout');
  const httpPort = Number(m[1]);
  return {
    child,
    httpPort,
    stderr: () => err,
    stdout: () => out,
    waitForStderr: (re, timeoutMs = 15000) => waitForText(() => err, child.stderr, re, timeoutMs, 'target stderr'),
    get: (pathName = '/', timeoutMs = 10000) => httpGet(httpPort, pathName, timeoutMs),
    alive: () => !exited,
    kill: async () => {
      if (!exited) child.kill('SIGKILL');
      await exitedP;
    },
  };
}

export function httpGet(port: number, pathName = '/', timeoutMs = 10000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathName, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${pathName} timed out`)));
    req.on('error', reject);
  });
}

/** Next rejection the listener reports. */
export function nextRejection(listener: AttachListener, timeoutMs = 10000): Promise<Rejection> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error('no rejection reported'))), timeoutMs);
    const off = listener.onRejected((r) => {
      clearTimeout(timer);
      off();
      resolve(r);
    });
  });
}

/** Opens a TLS connection pinned to the token's fingerprint (like the agent does). */
export function dialTls(token: string, minVersion: tls.SecureVersion = 'TLSv1.3'): Promise<tls.TLSSocket> {
  const t = parseToken(token);
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: t.host, port: t.port, rejectUnauthorized: false, minVersion, maxVersion: minVersion }, () => {
      const raw = s.getPeerCertificate(true).raw;
      if (!raw || !fingerprintOf(raw).equals(t.fingerprint)) return reject(new Error('fingerprint mismatch'));
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** A fake agent: TLS + the real handshake, then the raw socket for hostile frames. */
export async function fakeAgent(token: string): Promise<{ socket: tls.TLSSocket; result: HandshakeResult }> {
  const socket = await dialTls(token);
  const hs = new AgentHandshake(parseToken(token), exportKeyingMaterial(socket), { pid: 1, node: 'fake', title: 'fake', argv: [] });
  const result = await runFramedHandshake(socket, hs, hs.start(), 10000);
  return { socket, result };
}

export function frame(body: Buffer | string): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  const head = Buffer.alloc(4);
  head.writeUInt32BE(b.length, 0);
  return Buffer.concat([head, b]);
}

/** Resolves when the socket closes (reading whatever is left); rejects after the deadline. */
export function closed(socket: { once(e: 'close', l: () => void): unknown; resume(): unknown; destroyed?: boolean }, timeoutMs = 10000): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  socket.resume(); // read to the end: the peer's FIN is only seen by a flowing socket
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket did not close')), timeoutMs);
    socket.once('close', () => (clearTimeout(timer), resolve()));
  });
}

/** Proves the listener still authenticates a well-behaved agent. */
export async function listenerStillWorks(listener: AttachListener): Promise<void> {
  const { token, id } = listener.issueToken();
  const waiting = listener.waitForAgent(id, 10000);
  const { socket, result } = await fakeAgent(token);
  if (!result.ok) throw new Error(`listener broken: ${result.reason}`);
  const agent = await waiting;
  agent.link.close();
  socket.destroy();
}

// ---- Other hosts on this machine: network namespaces joined by veth pairs (root with CAP_NET_ADMIN).
// Each namespace has its own interfaces, addresses and loopback, like a container or a second
// machine; `ip netns exec NS cmd` runs cmd there (the same pid: it execs cmd).

/** Runs `ip ARGS`. A missing `ip` is an error (install iproute2); a failing command is reported, not thrown. */
export function ipRun(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run \`ip ${args.join(' ')}\`: ${r.error.message} — install the iproute2 package`);
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}`.trim() };
}

export function ipMust(args: string[]): string {
  const r = ipRun(args);
  if (!r.ok) throw new Error(`\`ip ${args.join(' ')}\` failed: ${r.out}`);
  return r.out;
}

/**
 * Creates namespace `name`. Returns undefined when created, or the reason to skip when this
 * process may not create namespaces (not root / no CAP_NET_ADMIN); any other failure throws.
 */
export function addNetns(name: string): string | undefined {
  const add = ipRun(['netns', 'add', name]);
  if (add.ok) return undefined;
  if (/operation not permitted|permission denied/i.test(add.out)) return `\`ip netns add ${name}\` failed: ${add.out} (needs root with CAP_NET_ADMIN and CAP_SYS_ADMIN)`;
  throw new Error(`\`ip netns add ${name}\` failed: ${add.out}`);
}

/** An X in 1..254 such that no interface in this namespace has an address in `${prefix}.X.0/24`. */
export function freeSubnet(prefix: string): number {
  const used = ipMust(['-4', '-o', 'addr', 'show']);
  for (let i = 0; i < 254; i++) {
    const x = ((process.pid + i) % 254) + 1;
    if (!used.includes(`${prefix}.${x}.`)) return x;
  }
  throw new Error(`no free ${prefix}.X.0/24 subnet`);
}

/** One end of a veth pair: its interface name (at most 15 characters), namespace (undefined: this one) and address. */
export interface VethEnd {
  dev: string;
  ns?: string;
  ip: string;
}

/** A veth pair between two namespaces, a /24 address on each end, both ends and the namespaces' loopbacks up. */
export function vethBetween(a: VethEnd, b: VethEnd): void {
  ipMust(['link', 'add', a.dev, 'type', 'veth', 'peer', 'name', b.dev]);
  for (const end of [a, b]) {
    if (end.ns) ipMust(['link', 'set', end.dev, 'netns', end.ns]);
    const inNs = end.ns ? ['-n', end.ns] : [];
    ipMust([...inNs, 'addr', 'add', `${end.ip}/24`, 'dev', end.dev]);
    ipMust([...inNs, 'link', 'set', end.dev, 'up']);
    if (end.ns) ipMust([...inNs, 'link', 'set', 'lo', 'up']);
  }
}

export interface NsProcess {
  child: ChildProcess;
  out(): string;
  err(): string;
  /** Resolves with the exit code (or the signal) once the process has ended. */
  exited: Promise<number | string>;
}

/** Starts `argv` inside namespace `ns` (the child's pid is argv[0]'s, since `ip netns exec` execs it). */
export function spawnInNetns(ns: string, argv: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): NsProcess {
  const child = spawn('ip', ['netns', 'exec', ns, ...argv], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { child, out: () => out, err: () => err, exited };
}

/** Kills a process (SIGKILL) and resolves once it has exited. */
export function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
