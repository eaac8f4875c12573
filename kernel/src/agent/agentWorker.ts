// The agent worker thread inside the runner: holds an inspector session connected to the main
// thread and relays CDP over the runner's CDP fd (relay.ts, the same relay the remote agent uses).
// It owns the fd itself, because while the main thread is paused at a breakpoint or spinning in a
// loop, the main thread cannot relay anything. The socket handle is ref'd, which is what keeps
// this worker alive (a session alone does not). If the kernel goes away, the relay resumes the
// main thread and drops our breakpoints before the worker ends.
// Logging goes straight to fd 2: worker console output is routed through the (maybe paused) main thread.

import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import type { AgentWorkerData } from './protocol';
import { runRelay } from './relay';

const data = workerData as AgentWorkerData;

function log(msg: string): void {
  try {
    fs.writeSync(2, `[tskernel agent] ${msg}\n`);
  } catch {
    /* stderr gone */
  }
}

const socket = new net.Socket({ fd: data.fd, readable: true, writable: true });
const session = new inspector.Session();
session.connectToMainThread();
const relay = runRelay(socket, session, {
  hello: { method: 'Agent.hello', params: { pid: process.pid, node: process.version, hiddenPaths: data.hiddenPaths } },
  log,
  onClose: () => process.exit(0),
});
// A cell started a worker thread: the kernel enables NodeWorker again to hear of it.
parentPort?.on('message', (m: { type?: string; threadId?: number }) => {
  if (m?.type === 'workerStarted') relay.send({ method: 'Agent.workerStarted', params: { threadId: m.threadId } });
});
// The port must not keep this worker alive (the socket does, as long as the kernel is there).
parentPort?.unref();
