// The dial-back agent across three hosts, as a team running kernels remotely has it: the Jupyter
// client on host J (this test's own network namespace, where jupyter_server would run), the
// notebook kernel on host K, the Node server to debug on host S. Each host is a network namespace;
// J–K and K–S are separate veth links (two networks, no routing between J and S), so K has two
// addresses and the user names the one S reaches: `%listen <K's address on S's network>:7001
// --allow-remote`, exactly as docs/running-at-scale.md says. S runs the command the notebook
// printed (`TSKERNEL_ATTACH_TOKEN=… node --import @tskernel/agent app.js`, the package copied as
// npm would install it), from a tmpfs mounted only in S's mount namespace: K cannot read the
// server's files, so the breakpoint, the stack and the source come through the target. An HTTP
// request made on S stops in the handler; req.url is read; continue answers it; `%detach` leaves
// the server serving. The single-file agent (`tskernel agent-file`, for hosts where nothing can be
// installed) attaches too, and its spent token, used again from S, is refused.
//
// Needs root with CAP_NET_ADMIN and CAP_SYS_ADMIN (namespaces, the tmpfs mount). Skipped, with the
// reason printed, only when `ip netns add` fails with a permission error; a missing `ip` fails.
// Names carry the pid and the J–K subnet is one not in use here, so runs can overlap.
jest.setTimeout(90000);

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapClient, varNamed } from '../../helpers/dapClient';
import { KernelClient, KERNEL_MAIN } from '../../helpers/kernelClient';
import { addNetns, freeSubnet, ipRun, killProcess, ROOT, spawnInNetns, vethBetween, waitForText, type NsProcess } from './attachHelpers';

// app.js on S. Line 3 (the handler's first statement) is the breakpoint line.
const APP_JS = [
  "const http = require('http');",
  'function handle(req, res) {',
  '  const requested = req.url;',
  "  res.end('hello ' + requested + ' from ' + process.pid);",
  '}',
  'const server = http.createServer(handle);',
  "server.listen(0, process.env.BIND_HOST, () => console.log('HTTP_PORT ' + server.address().port));",
  '',
].join('\n');
const BP_LINE = 3;
const LISTEN_PORT = 7001; // the port the docs use; K is a fresh namespace, so it is free there

const tag = `tsk${process.pid % 1_000_000}`;
const NS_K = `${tag}k`;
const NS_S = `${tag}s`;
const x = freeSubnet('10.214');
const J_IP = `10.214.${x}.1`; // J on the J–K network
const K_J_IP = `10.214.${x}.2`; // K on the J–K network: the kernel's Jupyter ports
const K_S_IP = `10.215.${x}.1`; // K on the K–S network: where the agent must dial
const S_IP = `10.215.${x}.2`;

let skipReason: string | undefined;
const created: string[] = [];
let kc: KernelClient | undefined;
let dap: DapClient;
const procs: NsProcess[] = [];
/** Files staged on J, copied into S's private tmpfs when a process starts there. */
let stage = '';
/** The directory the app runs in on S: empty here and on K (the tmpfs exists only in S's mount namespace). */
let appDir = '';

// Whether namespaces work here is known only by trying, while the file loads, so the tests can be
// declared skipped (reported as skipped, with the reason printed).
for (const ns of [NS_K, NS_S]) {
  skipReason ??= addNetns(ns);
  if (!skipReason) created.push(ns);
}
if (skipReason) console.warn(`dialBackCrossHost: SKIPPED — ${skipReason}`);
const netnsTest = skipReason ? test.skip : test;

/** Starts `node <agent preload> app.js` on S the way a user pastes it: `command` is the line %listen printed. */
function startOnS(command: string): NsProcess {
  // `exec env …` runs the printed `VAR=value node …` line verbatim and keeps node's pid.
  const script = 'set -e; mount -t tmpfs -o size=16m,mode=0755 tskernel-s "$APP"; cp -R "$STAGE"/. "$APP"/; cd "$APP"; exec env $COMMAND';
  const p = spawnInNetns(NS_S, ['sh', '-c', script], {
    env: { APP: appDir, STAGE: stage, COMMAND: command, BIND_HOST: S_IP, PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}` },
  });
  procs.push(p);
  return p;
}

/**
 * A GET made on S (a client on the server's own host), resolving with the body the client printed.
 * The client writes the wall-clock time it sent the request to stderr (`SENT ms`): startup of a
 * Node process is not part of the latency measured from there.
 */
function getOnS(port: number, pathName: string): Promise<string> & { sentAt(): number } {
  const code = `process.stderr.write('SENT ' + Date.now() + '\\n'); require('http').get({ host: '${S_IP}', port: ${port}, path: '${pathName}', agent: false }, (r) => { let b = ''; r.on('data', (d) => (b += d)); r.on('end', () => process.stdout.write(b)); });`;
  const p = spawnInNetns(NS_S, [process.execPath, '-e', code]);
  procs.push(p);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 30000);
  const body = p.exited.then((status) => {
    clearTimeout(timer);
    if (status !== 0) throw new Error(`GET ${pathName} on S ended with ${status}: ${p.err()}`);
    return p.out();
  });
  return Object.assign(body, { sentAt: () => Number(/SENT (\d+)/.exec(p.err())?.[1] ?? NaN) });
}

function probe(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port }, () => (s.destroy(), resolve('open')));
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

/** The line %listen printed for another host with the given preload, e.g. `--import @tskernel/agent`. */
function printedCommand(stdout: string, preload: string): string {
  const re = new RegExp(`^\\s*(TSKERNEL_ATTACH_TOKEN=tsk1\\.[A-Za-z0-9_-]+ node ${preload.replace(/[./]/g, '\\$&')} app\\.js)$`, 'm');
  const m = re.exec(stdout);
  if (!m) throw new Error(`%listen printed no \`node ${preload} app.js\` line:\n${stdout}`);
  return m[1];
}

beforeAll(async () => {
  if (skipReason) return;
  vethBetween({ dev: `${tag}j`, ip: J_IP }, { dev: `${tag}kj`, ns: NS_K, ip: K_J_IP });
  vethBetween({ dev: `${tag}ks`, ns: NS_K, ip: K_S_IP }, { dev: `${tag}s`, ns: NS_S, ip: S_IP });

  // What S gets: app.js, the agent package as `npm install @tskernel/agent` lays it out (its
  // package.json "files"), and the single-file agent from `tskernel agent-file`.
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-3hosts-')));
  stage = path.join(dir, 'stage');
  appDir = path.join(dir, 'app');
  fs.mkdirSync(appDir);
  const pkg = path.join(stage, 'node_modules', '@tskernel', 'agent');
  fs.mkdirSync(path.join(pkg, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'agent', 'package.json'), path.join(pkg, 'package.json'));
  for (const f of ['index.js', 'remoteWorker.js']) fs.copyFileSync(path.join(ROOT, 'agent', 'dist', f), path.join(pkg, 'dist', f));
  fs.writeFileSync(path.join(stage, 'app.js'), APP_JS);
  // `tskernel agent-file > tskernel-agent.cjs`, on the notebook's machine.
  const af = spawnSync(process.execPath, [KERNEL_MAIN, 'agent-file'], { encoding: 'utf8' });
  if (af.status !== 0) throw new Error(`tskernel agent-file failed: ${af.stderr}`);
  fs.writeFileSync(path.join(stage, 'tskernel-agent.cjs'), af.stdout);

  // The kernel runs on K with its Jupyter ports on K's J-facing address; this client is on J.
  kc = await KernelClient.start({ language: 'typescript', ip: K_J_IP, wrap: ['ip', 'netns', 'exec', NS_K] });
  dap = new DapClient(kc);
  await dap.start();
});

// Each test starts its own processes on S; whatever one leaves (a server, an attached target) is
// gone before the next, even when it failed.
afterEach(async () => {
  if (skipReason || !kc) return;
  await kc.execute('%detach all');
  await Promise.all(procs.splice(0).map((p) => killProcess(p.child)));
});

afterAll(async () => {
  try {
    await kc?.shutdown();
    await Promise.all(procs.map((p) => killProcess(p.child)));
  } finally {
    // Deleting a namespace deletes the veth ends in it, and with them their peers.
    for (const ns of created) ipRun(['netns', 'del', ns]);
  }
});

netnsTest("%listen on K's address on S's network: refused without --allow-remote, then bound there only", async () => {
  const refused = await kc!.execute(`%listen ${K_S_IP}:${LISTEN_PORT}`);
  expect(refused.reply.content.status).toBe('error');
  expect(`${refused.stderr}${JSON.stringify(refused.reply.content)}`).toMatch(/not a loopback address/);

  const l = await kc!.execute(`%listen ${K_S_IP}:${LISTEN_PORT} --allow-remote`);
  expect(l.reply.content.status).toBe('ok');
  expect(l.stdout).toContain(`Listening for agents on ${K_S_IP}:${LISTEN_PORT}`);
  expect(l.stdout).toContain('npm install @tskernel/agent');
  expect(l.stdout).toMatch(new RegExp(`Warning: .*other machines on ${K_S_IP.replace(/\./g, '\\.')}:${LISTEN_PORT}`));
  expect(l.stdout).not.toContain('Warning: Warning:');
  // The token tells the agent to dial K's address on S's network.
  const token = /TSKERNEL_ATTACH_TOKEN=(tsk1\.[A-Za-z0-9_-]+)/.exec(printedCommand(l.stdout, '--import @tskernel/agent'))![1];
  const payload = JSON.parse(Buffer.from(token.slice(5), 'base64url').toString()) as { h: string; p: number };
  expect(payload).toMatchObject({ h: K_S_IP, p: LISTEN_PORT });
  // From J, K's J-facing address answers Jupyter but not the listener: it is bound where S is.
  expect(await probe(K_J_IP, kc!.ports.shell_port)).toBe('open');
  expect(await probe(K_J_IP, LISTEN_PORT)).toBe('ECONNREFUSED');
});

netnsTest('a server on S runs the printed command; breakpoint, request on S, variables, continue, %detach', async () => {
  const l = await kc!.execute(`%listen ${K_S_IP}:${LISTEN_PORT} --allow-remote`);
  const command = printedCommand(l.stdout, '--import @tskernel/agent');

  const t0 = performance.now();
  const from = dap.mark();
  const server = startOnS(command);
  const port = Number((await waitForText(server.out, server.child.stdout!, /HTTP_PORT (\d+)/, 15000, 'server stdout'))[1]);
  const waiting = await dap.waitEvent('agentWaiting', from, 15000);
  const tDialed = performance.now();
  expect(waiting.body).toMatchObject({ pid: server.child.pid, title: 'app.js' });
  expect(String(waiting.body.remoteAddress)).toContain(S_IP); // it came from S, over the K–S link
  // The app's files exist only on S: K (and J) see an empty directory.
  const file = path.join(appDir, 'app.js');
  expect(fs.existsSync(file)).toBe(false);

  const a = await kc!.execute('%attach');
  expect(a.reply.content.status).toBe('ok');
  const attached = /Attached thread (\d+): (.*) \(via agent\)/.exec(a.stdout);
  expect(attached).not.toBeNull();
  const threadId = Number(attached![1]);
  const tAttached = performance.now();

  const bps = await dap.ok<{ breakpoints: DebugProtocol.Breakpoint[] }>('setBreakpoints', { source: { path: file }, breakpoints: [{ line: BP_LINE }], sourceModified: false });
  expect(bps.breakpoints[0]).toMatchObject({ verified: true, line: BP_LINE });
  const src = await dap.ok<{ content: string }>('source', { source: { path: file } });
  expect(src.content).toBe(APP_JS);

  // A request made on S, to S's own address: the handler stops on K's breakpoint.
  const fromHit = dap.mark();
  let answered = false;
  const request = getOnS(port, '/orders?id=7');
  const response = request.then((b) => ((answered = true), b));
  const stopped = await dap.waitEvent('stopped', fromHit, 20000, (e) => e.body?.threadId === threadId);
  const stoppedAt = Date.now();
  const tStopped = performance.now();
  expect(stopped.body).toMatchObject({ reason: 'breakpoint', threadId });
  expect(answered).toBe(false);

  const { stackFrames } = await dap.ok<{ stackFrames: DebugProtocol.StackFrame[] }>('stackTrace', { threadId });
  expect(stackFrames[0]).toMatchObject({ name: 'handle', line: BP_LINE, source: { path: file } });
  const { scopes } = await dap.ok<{ scopes: DebugProtocol.Scope[] }>('scopes', { frameId: stackFrames[0].id });
  const local = scopes.find((s) => /local/i.test(s.name))!;
  const locals = (await dap.ok<{ variables: DebugProtocol.Variable[] }>('variables', { variablesReference: local.variablesReference })).variables;
  const req = varNamed(locals, 'req');
  const reqProps = (await dap.ok<{ variables: DebugProtocol.Variable[] }>('variables', { variablesReference: req.variablesReference })).variables;
  expect(varNamed(reqProps, 'url').value).toContain('/orders?id=7');
  const ev = await dap.ok<{ result: string }>('evaluate', { expression: 'req.socket.remoteAddress', frameId: stackFrames[0].id, context: 'repl' });
  expect(ev.result).toContain(S_IP);

  const fromContinue = dap.mark();
  await dap.ok('continue', { threadId });
  await dap.waitEvent('continued', fromContinue, 10000, (e) => e.body?.threadId === threadId);
  expect(await response).toBe(`hello /orders?id=7 from ${server.child.pid}`);
  const tAnswered = performance.now();

  const d = await kc!.execute('%detach');
  expect(d.reply.content.status).toBe('ok');
  expect(d.stdout).toContain(`Detached thread ${threadId}; the process keeps running.`);
  await waitForText(server.err, server.child.stderr!, /\[tskernel agent\] detached: /, 10000, 'server stderr');
  expect(await getOnS(port, '/after-detach')).toBe(`hello /after-detach from ${server.child.pid}`);
  expect(server.child.exitCode).toBeNull();
  const list = await dap.ok<{ attached: unknown[] }>('listTargets', { scanProcesses: false, ports: [] });
  expect(list.attached).toEqual([]);
  console.log(
    `3 hosts: spawn on S → agent waiting on K ${(tDialed - t0).toFixed(0)} ms; → %attach done ${(tAttached - tDialed).toFixed(0)} ms; ` +
      `request sent on S → stopped event on J ${stoppedAt - request.sentAt()} ms; continue → answered ${(tAnswered - tStopped).toFixed(0)} ms (incl. inspection)`,
  );
  await killProcess(server.child);
});

netnsTest('listening on every address, advertising the one S reaches: the single-file agent on S attaches; its spent token, used again from S, is refused', async () => {
  // On a host with several networks a wildcard listener would name the first one in the token;
  // --advertise names the address the target dials.
  const l = await kc!.execute(`%listen 0.0.0.0:${LISTEN_PORT} --allow-remote --advertise ${K_S_IP}`);
  const command = printedCommand(l.stdout, '--require ./tskernel-agent.cjs');
  const from = dap.mark();
  const server = startOnS(command);
  const port = Number((await waitForText(server.out, server.child.stdout!, /HTTP_PORT (\d+)/, 15000, 'server stdout'))[1]);
  const waiting = await dap.waitEvent('agentWaiting', from, 15000);
  expect(waiting.body).toMatchObject({ pid: server.child.pid, title: 'app.js' });
  expect(String(waiting.body.remoteAddress)).toContain(S_IP);
  const a = await kc!.execute('%attach');
  const threadId = Number(/Attached thread (\d+): .* \(via agent\)/.exec(a.stdout)?.[1]);
  expect(threadId).toBeGreaterThan(1);
  const { threads } = await dap.ok<{ threads: DebugProtocol.Thread[] }>('threads');
  expect(threads.map((t) => t.id)).toContain(threadId);
  const d = await kc!.execute('%detach all');
  expect(d.stdout).toContain(`Detached thread ${threadId}; the process keeps running.`);
  await waitForText(server.err, server.child.stderr!, /\[tskernel agent\] detached: /, 10000, 'server stderr');
  expect(await getOnS(port, '/single-file')).toBe(`hello /single-file from ${server.child.pid}`);

  // The same printed line again, on S: the token is single-use.
  const fromAgain = dap.mark();
  const again = startOnS(command);
  const rej = await dap.waitEvent('attachRejected', fromAgain, 15000);
  expect(String(rej.body.remoteAddress)).toContain(S_IP);
  expect(String(rej.body.reason)).toMatch(/already used/);
  await waitForText(again.err, again.child.stderr!, /\[tskernel agent\] attach failed: /, 10000, 'second server stderr');
  const list = await dap.ok<{ agents: unknown[]; attached: unknown[] }>('listTargets', { scanProcesses: false, ports: [] });
  expect(list.agents).toEqual([]);
  expect(list.attached).toEqual([]);
});
