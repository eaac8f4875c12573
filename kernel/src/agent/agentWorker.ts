// The agent worker thread inside the runner: holds an inspector session connected to the main
// thread and relays CDP over the runner's CDP fd (relay.ts, the same relay the remote agent uses).
// It owns the fd itself, because while the main thread is paused at a breakpoint or spinning in a
// loop, the main thread cannot relay anything. The socket handle is ref'd, which is what keeps
// this worker alive (a session alone does not). If the kernel goes away, the relay resumes the
// main thread and drops our breakpoints, and the worker parks — unless this is the kernel's runner
// (endGroupWithLink): then the runner must not outlive the kernel, and this thread is the one that
// can still act while the main thread spins, so it ends the runner's whole process group.
// Logging goes straight to fd 2: worker console output is routed through the (maybe paused) main thread.

import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as net from 'node:net';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { hiddenScriptFilter, runRelay } from './relay';
import { endRunnerProcessGroup, type RunnerAgentWorkerData } from './runnerAgent';

const data = workerData as RunnerAgentWorkerData;

function log(msg: string): void {
  try {
    fs.writeSync(2, `[tskernel agent] ${msg}\n`);
  } catch {
    /* stderr gone */
  }
}

const socket = new net.Socket({ fd: data.fd, readable: true, writable: true });
if (data.endGroupWithLink) {
  // EOF or a broken pipe from the kernel's side: the kernel exited, was killed or shut down (a
  // shutdown ends the runner anyway). Our own teardown (a bad frame) destroys the socket without
  // either event, and leaves the runner to its control pipe.
  socket.once('end', endRunnerProcessGroup);
  socket.once('error', endRunnerProcessGroup);
}
const session = new inspector.Session();
session.connectToMainThread();
const relay = runRelay(socket, session, {
  hello: { method: 'Agent.hello', params: { pid: process.pid, node: process.version, hiddenPaths: data.hiddenPaths, agentThreadId: threadId } },
  log,
  // The kernel would hide these (debugger/thread.ts): they are not even announced.
  skipScript: hiddenScriptFilter(data.hiddenPaths),
  // Park, never exit: a worker that ends right after its session's disconnect races the main
  // thread's release of that session and aborts the process (relay.ts, remoteWorker.ts). The
  // worker is unref'd (runnerAgent.ts), so a parked one never keeps the runner alive.
  onClose: () => void setInterval(() => undefined, 1 << 30),
});
// A cell started a worker thread: the kernel enables NodeWorker again to hear of it.
parentPort?.on('message', (m: { type?: string; threadId?: number }) => {
  if (m?.type === 'workerStarted') relay.send({ method: 'Agent.workerStarted', params: { threadId: m.threadId } });
});
// The port must not keep this worker alive (the socket does, as long as the kernel is there).
parentPort?.unref();
