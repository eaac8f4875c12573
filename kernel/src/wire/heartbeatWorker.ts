// The heartbeat echo, on its own thread with its own ZeroMQ socket: a REP socket that sends
// every ping straight back. Living off the main thread, it answers while the kernel's event loop
// is busy (HMAC over a large message, a slow handler), so a frontend never declares a working
// kernel dead. Started by heartbeat.ts; tells it `ready` once bound, or why binding failed.

import { parentPort, workerData } from 'node:worker_threads';
import * as zmq from 'zeromq';
import type { HeartbeatData, HeartbeatReport } from './heartbeat';

const data = workerData as HeartbeatData;
const port = parentPort;
const sock = new zmq.Reply({ linger: 0, maxMessageSize: data.maxMessageSize });
const report = (r: HeartbeatReport): void => port?.postMessage(r);

async function echo(): Promise<void> {
  try {
    await sock.bind(data.endpoint);
  } catch (e) {
    report({ type: 'failed', message: `heartbeat bind ${data.endpoint}: ${(e as Error).message}` });
    return;
  }
  report({ type: 'ready' });
  try {
    for await (const frames of sock) await sock.send(frames);
  } catch (e) {
    if (!sock.closed) report({ type: 'failed', message: `heartbeat loop ended: ${(e as Error).message}` });
  }
}

port?.on('message', (m: unknown) => {
  if (m === 'close') {
    sock.close();
    port.close();
  }
});
void echo();
