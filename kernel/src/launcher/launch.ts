// `tskernel launch`: tskernel started by a Jupyter gateway (Gateway Provisioners, Enterprise
// Gateway) in place of the kernel, on another host, in a pod or a container. Same protocol as
// their launch_ipykernel.py + server_listener.py:
//   1. pick five kernel ports and a comm port from the gateway's port range, on --ip (0.0.0.0
//      by default, like upstream: the gateway reaches the kernel by this host's address);
//   2. write the connection file (random key) into a private 0700 temp dir, mode 0600, and start
//      the kernel in this process on it;
//   3. send the connection info, plus pid, pgid, comm_port and kernel_id, encrypted for the
//      gateway (payload.ts), to --response-address;
//   4. serve the comm port (commPort.ts): signals from the gateway go to this process (SIGINT is
//      the kernel's interrupt, SIGTERM its orderly shutdown), shutdown closes the port.
// The connection key exists only in that file and inside the encrypted payload. The temp dir is
// removed when the process exits, however it exits short of SIGKILL.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startKernel } from '../app/kernelApp';
import { logger } from '../common/log';
import { serveCommPort } from './commPort';
import type { LaunchOptions } from './options';
import { encryptPayload, importPublicKey, type FlatJson } from './payload';
import { listenInRange, selectPorts } from './ports';

const log = logger('cli');

/** Our process group (what upstream reports as pgid, from os.getpgid): /proc on Linux. */
export function processGroup(): number {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(fields[2]);
    if (Number.isInteger(pgrp) && pgrp > 0) return pgrp;
  } catch {
    /* not Linux */
  }
  return process.pid;
}

/** Writes the payload to the response address and closes: the gateway reads until EOF. */
export function sendPayload(host: string, port: number, payload: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error(`no connection to ${host}:${port} within ${timeoutMs} ms`)));
    sock.on('error', reject);
    sock.on('connect', () => sock.end(payload, 'ascii'));
    sock.on('close', (hadError) => {
      if (!hadError) resolve();
    });
  });
}

/**
 * --orphan-timeout: with no request on the comm port for that long, the gateway is gone (it polls
 * every few seconds while it manages the kernel): orderly shutdown, as on SIGTERM. Returns the
 * function that records a request.
 */
function watchForOrphaning(seconds: number | undefined): () => void {
  if (seconds === undefined) return () => undefined;
  let last = Date.now();
  const timer = setInterval(
    () => {
      if (Date.now() - last < seconds * 1000) return;
      clearInterval(timer);
      log.warn(`no request from the gateway for ${seconds} s (--orphan-timeout): taking it as gone, shutting down`);
      process.kill(process.pid, 'SIGTERM');
    },
    Math.min(1000, seconds * 250),
  );
  timer.unref();
  return () => {
    last = Date.now();
  };
}

export async function launch(opts: LaunchOptions): Promise<void> {
  const publicKey = importPublicKey(opts.publicKey); // a bad key fails before anything is bound
  if (opts.kernelClassName) log.info(`--kernel-class-name ${opts.kernelClassName} is for ipykernel; ignored`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tskernel-launch-')); // mode 0700
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const connectionFile = path.join(dir, 'kernel.json');

  const [shell, iopub, stdin, hb, control] = await selectPorts(5, opts.ip, opts.portRange);
  const comm = net.createServer();
  const commPort = await listenInRange(comm, opts.ip, opts.portRange);
  // Key order as jupyter_client's write_connection_file writes it.
  const info: FlatJson = {
    shell_port: shell,
    iopub_port: iopub,
    stdin_port: stdin,
    control_port: control,
    hb_port: hb,
    ip: opts.ip,
    key: crypto.randomUUID(),
    transport: 'tcp',
    signature_scheme: 'hmac-sha256',
    kernel_name: '',
  };
  fs.writeFileSync(connectionFile, JSON.stringify(info, null, 2), { mode: 0o600 });

  // A launched kernel outlives the shell that started it (`nohup … &` over SSH, a container's
  // entry point), so its parent says nothing about the gateway. Like ipykernel, it watches
  // JPY_PARENT_PID only when the gateway set it (a local launch); otherwise it points the watch
  // at itself, which never goes away. Its lifetime is the gateway's: comm port and signals.
  if (!process.env.JPY_PARENT_PID) process.env.JPY_PARENT_PID = String(process.pid);
  await startKernel({ connectionFile, language: opts.language });

  const heardFromGateway = watchForOrphaning(opts.orphanTimeout);
  serveCommPort(comm, {
    signal: (signum) => {
      heardFromGateway();
      if (signum === 0) return; // the gateway's poll: answering it is the proof of life
      try {
        process.kill(process.pid, signum);
      } catch (e) {
        log.warn(`comm port: could not raise signal ${signum}: ${(e as Error).message}`);
      }
    },
    shutdown: () => undefined, // the kernel itself ends on the gateway's shutdown_request
  });

  if (!opts.responseAddress) {
    log.error(`Invalid format for response address '${opts.responseAddressText}'. Assuming 'pull' mode...`);
    return;
  }
  const payload = encryptPayload({ ...info, pid: process.pid, pgid: processGroup(), comm_port: commPort, kernel_id: opts.kernelId }, publicKey);
  try {
    await sendPayload(opts.responseAddress.host, opts.responseAddress.port, payload);
    log.info(`connection info for kernel ${opts.kernelId} sent to ${opts.responseAddressText}; comm port ${commPort}`);
  } catch (e) {
    // Nobody can ever connect to this kernel: end it rather than leave it running unseen, the
    // orderly way (runner, workers and sockets closed), with exit code 1.
    log.error(`could not send the connection info to ${opts.responseAddressText}: ${(e as Error).message}`);
    process.exitCode = 1;
    process.kill(process.pid, 'SIGTERM');
  }
}
