// Attach-by-pid stress benchmark: the SIGUSR1 path against a fresh real node:http server each
// cycle (the inspector opened for the first time, as a user's %attach --pid does), alternating
//   agent      the agent is injected, dials back, CDP answers over its link, the link closes
//   no-agent   the target cannot load the agent (a path that does not exist): the attach fails
// Either way the inspector port we opened must be closed again (connection refused) and the
// process must live on: watched for CRASH_WINDOW_MS after the attach returned, then a request must
// be served. Closing the port while our inspector WebSocket was being torn down crashed the target
// (SIGSEGV, Node 20) about once in forty no-agent attaches. Uses the kernel's attach library
// (kernel/dist) directly: the kernel's own %attach --pid path is stressed by stress-detach.mjs.
// Prints a table, writes bench/results/stress-attach-pid.json.
//
// Usage: node bench/stress-attach-pid.mjs [cycles per kind, default 40]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { CRASH_WINDOW_MS, endedWithin, writeStressServer } from '../test/fixtures/stressServer.cjs';
import { median, ROOT } from './client.mjs';

const require = createRequire(import.meta.url);
const { attachByPid } = require(path.join(ROOT, 'kernel', 'dist', 'attach', 'byPid.js'));
const { AttachListener } = require(path.join(ROOT, 'kernel', 'dist', 'attach', 'listener.js'));
const { CdpClient } = require(path.join(ROOT, 'kernel', 'dist', 'targets', 'cdpClient.js'));
const { listInspectorTargets } = require(path.join(ROOT, 'kernel', 'dist', 'targets', 'inspectorWebSocket.js'));

const CYCLES = Number(process.argv[2] ?? 40);
const KINDS = ['agent', 'no-agent'];
const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-bench-pid-')));
const SERVER = writeStressServer(dir);

function get(port, pathName) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathName, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.setTimeout(5000, () => req.destroy(new Error(`GET ${pathName} timed out`)));
    req.on('error', reject);
  });
}

async function startServer() {
  const child = spawn(process.execPath, ['--inspect-port=0', SERVER], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const port = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /HTTP_PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error(`server exited before listening: ${err}`)));
  });
  return { child, port, stderr: () => err };
}

async function portClosed(port) {
  return listInspectorTargets('127.0.0.1', port, 1000).then(
    () => false,
    (e) => e.code === 'ECONNREFUSED',
  );
}

async function cycle(listener, kind, i) {
  const server = await startServer();
  const t0 = performance.now();
  const failures = [];
  try {
    let inspectorPort;
    if (kind === 'agent') {
      const r = await attachByPid({ listener, pid: server.child.pid });
      inspectorPort = r.inspectorPort;
      const cdp = new CdpClient(r.agent.link);
      const v = await cdp.send('Runtime.evaluate', { expression: 'process.pid' });
      if (v.result.value !== server.child.pid) failures.push(`evaluate answered ${v.result.value}`);
      if (!r.inspectorClosed) failures.push('attach says the inspector port is still open');
      cdp.close();
    } else {
      const e = await attachByPid({ listener, pid: server.child.pid, agentPath: path.join(dir, 'missing', 'agent.js') }).then(
        () => new Error('attached with a missing agent'),
        (err) => err,
      );
      if (!/could not load the agent/.test(e.message)) failures.push(`unexpected error: ${e.message}`);
      inspectorPort = Number(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(server.stderr())?.[1]);
    }
    const ms = performance.now() - t0;
    const ended = await endedWithin(server.child, CRASH_WINDOW_MS);
    if (ended) failures.push(`server ${ended}`);
    else {
      if (!(await portClosed(inspectorPort))) failures.push(`inspector port ${inspectorPort} still answers`);
      const body = await get(server.port, `/after/${i}`).catch((e) => `request failed: ${e.message}`);
      if (!body.startsWith('hello ')) failures.push(body);
    }
    return { ms, failures };
  } finally {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      const exited = new Promise((r) => server.child.once('exit', r));
      server.child.kill('SIGKILL');
      await exited;
    }
  }
}

const listener = await AttachListener.listen();
const results = {};
for (const kind of KINDS) results[kind] = { cycles: 0, failed: 0, ms: [], failures: [] };
try {
  for (let i = 0; i < CYCLES; i++) {
    for (const kind of KINDS) {
      const r = await cycle(listener, kind, i);
      const s = results[kind];
      s.cycles++;
      s.ms.push(r.ms);
      if (r.failures.length) {
        s.failed++;
        s.failures.push(`cycle ${i}: ${r.failures.join('; ')}`);
        console.log(`${kind} cycle ${i}: ${r.failures.join('; ')}`);
      }
    }
  }
} finally {
  listener.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

console.log(`\n| kind | cycles | failed | attach median ms |`);
console.log(`|---|---|---|---|`);
const out = { node: process.version, crashWindowMs: CRASH_WINDOW_MS, kinds: {} };
for (const kind of KINDS) {
  const s = results[kind];
  console.log(`| ${kind} | ${s.cycles} | ${s.failed} | ${median(s.ms).toFixed(0)} |`);
  out.kinds[kind] = { cycles: s.cycles, failed: s.failed, medianMs: median(s.ms), failures: s.failures.slice(0, 20) };
}
fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'stress-attach-pid.json'), JSON.stringify(out, null, 2) + '\n');
process.exit(KINDS.some((k) => results[k].failed > 0) ? 1 : 0);
