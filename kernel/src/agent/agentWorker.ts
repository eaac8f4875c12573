// The agent worker thread inside the runner: holds an inspector session connected to the main
// thread and relays CDP over the runner's CDP fd. It owns the fd itself, because while the main
// thread is paused at a breakpoint or spinning in a loop, the main thread cannot relay anything.
// The socket handle is ref'd, which is what keeps this worker alive (a session alone does not).
// Logging goes straight to fd 2: worker console output is routed through the (maybe paused) main thread.

import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as net from 'node:net';
import { workerData } from 'node:worker_threads';
import { encodeFrame, FrameDecoder } from './framing';
import type { AgentHello, AgentWorkerData, CdpCommandMessage, CdpResultMessage } from './protocol';

const data = workerData as AgentWorkerData;
const debugOn = /debug/i.test(process.env.TSKERNEL_LOG ?? '');

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

function send(message: unknown): void {
  if (!socket.destroyed) socket.write(encodeFrame(message));
}

/** Node reports inspector errors as `Inspector error <code>: <message>`; keep code and text. */
function toError(err: Error): { code: number; message: string } {
  const m = /^Inspector error (-?\d+): ([\s\S]*)$/.exec(err.message);
  return m ? { code: Number(m[1]), message: m[2] } : { code: -32000, message: err.message };
}

session.on('inspectorNotification', (note: { method: string; params?: unknown }) => {
  send({ method: note.method, params: note.params });
});

const decoder = new FrameDecoder();
socket.on('data', (chunk: Buffer) => {
  let messages: unknown[];
  try {
    messages = decoder.push(chunk);
  } catch (e) {
    log(`bad frame from kernel: ${(e as Error).message}`);
    socket.destroy();
    return;
  }
  for (const raw of messages) {
    const msg = raw as CdpCommandMessage;
    if (typeof msg?.id !== 'number' || typeof msg.method !== 'string') continue;
    if (debugOn) log(`-> ${msg.id} ${msg.method}`);
    session.post(msg.method, msg.params ?? {}, (err, result) => {
      const reply: CdpResultMessage = err ? { id: msg.id, error: toError(err) } : { id: msg.id, result: result ?? {} };
      send(reply);
    });
  }
});

// The kernel went away: drop the session, which removes our breakpoints and resumes the main thread.
socket.on('close', () => {
  session.disconnect();
  process.exit(0);
});
socket.on('error', (e) => log(`link error: ${e.message}`));

const hello: AgentHello = {
  method: 'Agent.hello',
  params: { pid: process.pid, node: process.version, hiddenPaths: data.hiddenPaths },
};
send(hello);
