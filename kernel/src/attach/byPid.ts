// Attach by pid (same host): open the target's inspector briefly (SIGUSR1 on POSIX,
// process._debugProcess on Windows), connect over loopback, check it is the right process,
// `Runtime.evaluate` a require of the remote agent with a fresh single-use token, wait for the
// agent to dial back into the attach listener, then close the inspector port again
// (`inspector.close()` in the target, after our WebSocket is gone) and continue over the agent
// link. The exposure is that window only. Every way this can fail ends in a readable reason.
// Before anything is sent: never the kernel, its runner or another tskernel/Jupyter process, only
// the user's own processes, and SIGUSR1 only to a real Node executable that handles it.

import * as path from 'node:path';
import { CdpClient } from '../targets/cdpClient';
import type { AgentLink } from '../targets/agentLink';
import { refusedProcess } from './discovery';
import { catchesSignal, isNodeExecutable, listeningPorts, ownUid, processExe, processUid } from './procfs';
import { connectInspector, listInspectorTargets, type InspectorConnection } from '../targets/inspectorWebSocket';
import type { AttachedAgent, AttachListener } from './listener';

/** The compiled agent next to this file's package: kernel/dist/agent/remote.js (from src/ or dist/). */
export const DEFAULT_AGENT_PATH = path.resolve(__dirname, '..', '..', 'dist', 'agent', 'remote.js');
const POLL_MS = 50;

export interface AttachByPidOptions {
  listener: AttachListener;
  pid: number;
  /** Inspector ports to try besides those /proc shows for the pid (default [9229], Node's --inspect-port default). */
  ports?: number[];
  /** Absolute path of remote.js as the target sees it. */
  agentPath?: string;
  timeoutMs?: number;
  /** Pids that must never be attached (the notebook's runner); the kernel's own pid always is. */
  refusePids?: readonly number[];
}

export interface AttachByPidResult {
  agent: AttachedAgent;
  inspectorPort: number;
  /** The inspector was already open (e.g. --inspect): we leave it open. */
  inspectorWasOpen: boolean;
  /** We opened it and it is closed again (connection refused). */
  inspectorClosed: boolean;
  elapsedMs: number;
}

export class AttachByPidError extends Error {
  constructor(pid: number, reason: string) {
    super(`cannot attach to pid ${pid}: ${reason}`);
    this.name = 'AttachByPidError';
  }
}

/**
 * Refuses, before anything is sent to the process: the kernel and its runner (signalling the
 * runner opens port 9229 in the notebook itself), tskernel/Jupyter processes, another user's
 * process (even where we could signal it, e.g. as root), and anything whose executable
 * (/proc/PID/exe, never argv[0]) is not Node.js.
 */
function checkProcess(pid: number, refuse: readonly number[]): void {
  if (!Number.isInteger(pid) || pid <= 0) throw new AttachByPidError(pid, 'not a valid pid');
  const own = refusedProcess(pid, refuse);
  if (own) throw new AttachByPidError(pid, own);
  try {
    process.kill(pid, 0);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AttachByPidError(pid, code === 'EPERM' ? 'it belongs to another user (no permission to signal it)' : 'no such process');
  }
  if (process.platform !== 'linux') return;
  const uid = ownUid();
  if (uid !== undefined && processUid(pid) !== uid) throw new AttachByPidError(pid, 'it belongs to another user');
  const node = isNodeExecutable(pid);
  if (node !== true) {
    const exe = processExe(pid);
    throw new AttachByPidError(pid, `it is not a Node.js process${exe ? ` (its executable is ${exe})` : ' (its executable cannot be read)'}; sending SIGUSR1 could terminate it`);
  }
}

/** How long a Node process that has not installed its SIGUSR1 handler yet (just started) is waited for. */
const SIGNAL_HANDLER_WAIT_MS = 3000;

/**
 * SIGUSR1 kills a process that installed no handler for it: Node started with --disable-sigusr1,
 * or one still starting up. A process picked right after it was started (a pid copied from a
 * terminal) gets a short, bounded wait for its handler; only then is it refused.
 */
async function checkSignalable(pid: number): Promise<void> {
  if (process.platform !== 'linux') return;
  const until = Date.now() + SIGNAL_HANDLER_WAIT_MS;
  for (;;) {
    const catches = catchesSignal(pid, 'SIGUSR1');
    if (catches === true) return;
    if (catches === undefined || Date.now() >= until) break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new AttachByPidError(
    pid,
    'it does not handle SIGUSR1 (started with --disable-sigusr1, or still starting up), so the signal would terminate it; ' + 'start it with --inspect or attach an agent with %listen instead',
  );
}

async function findInspectorPort(pid: number, candidates: number[]): Promise<number | undefined> {
  const own = listeningPorts(pid);
  // With /proc we know exactly which ports belong to the pid; otherwise try the candidates and verify the pid later.
  const ports = own ? own : candidates;
  for (const port of ports) {
    try {
      if ((await listInspectorTargets('127.0.0.1', port, 500)).length > 0) return port;
    } catch {
      /* not an inspector */
    }
  }
  return undefined;
}

async function waitFor<T>(what: string, deadline: number, probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() >= deadline) throw new Error(what);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function openInspector(pid: number): void {
  if (process.platform === 'win32') {
    (process as unknown as { _debugProcess(pid: number): void })._debugProcess(pid);
  } else {
    process.kill(pid, 'SIGUSR1');
  }
}

/** Closes the target's inspector port once the current task is done (close() waits for WebSocket sessions). */
const CLOSE_INSPECTOR =
  `(function (r) { setTimeout(function () { try { (process.getBuiltinModule ? process.getBuiltinModule('inspector') : r('inspector')).close(); }` +
  ` catch (e) { process.stderr.write('[tskernel agent] could not close the inspector port: ' + e.message + '\\n'); } }, 0); return 'ok'; })` +
  `(typeof require === 'function' ? require : undefined)`;
/** Request id for the close sent on the agent link before anyone drives it (CdpClient counts from 1). */
const CLOSE_REQUEST_ID = 2 ** 31;

async function evaluate(cdp: CdpClient, expression: string): Promise<string> {
  const r = await cdp.send('Runtime.evaluate', { expression, includeCommandLineAPI: true, returnByValue: true });
  if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description?.split('\n')[0] ?? r.exceptionDetails.text);
  return String(r.result.value);
}

export async function attachByPid(options: AttachByPidOptions): Promise<AttachByPidResult> {
  const { pid, listener } = options;
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 10_000);
  const candidates = options.ports ?? [9229];
  checkProcess(pid, options.refusePids ?? []);

  const already = await findInspectorPort(pid, candidates);
  const wasOpen = already !== undefined;
  let port: number;
  if (already !== undefined) port = already;
  else {
    await checkSignalable(pid);
    try {
      openInspector(pid);
    } catch (e) {
      throw new AttachByPidError(pid, `could not signal it: ${(e as Error).message}`);
    }
    port = await waitFor('', deadline, () => findInspectorPort(pid, candidates)).catch(() => {
      throw new AttachByPidError(
        pid,
        'its inspector did not open: the process may handle SIGUSR1 itself, run with --disable-sigusr1 or a permission model, ' +
          `or its inspector port (${candidates.join(', ')}) is taken by another process`,
      );
    });
  }

  let conn: InspectorConnection;
  try {
    conn = await connectInspector({ port, timeoutMs: Math.max(500, deadline - Date.now()) });
  } catch (e) {
    throw new AttachByPidError(pid, (e as Error).message);
  }
  const cdp = new CdpClient(conn.transport);
  /**
   * Closes the port we opened. With the agent up, our WebSocket goes first and the agent's own
   * session asks the target to close the port: closing it while our WebSocket session was still
   * being torn down crashed the target (SIGSEGV, Node 20) about one attach in twenty. Without an
   * agent (attach failed) the close is scheduled over our WebSocket just before it disconnects.
   */
  const closeOurInspector = async (agentLink?: AgentLink): Promise<boolean> => {
    if (wasOpen) {
      await conn.transport.closedFully();
      return false;
    }
    if (agentLink) {
      await conn.transport.closedFully();
      // Fire and forget (an id CdpClient never uses): the port probe below is the answer.
      agentLink.send({ id: CLOSE_REQUEST_ID, method: 'Runtime.evaluate', params: { expression: CLOSE_INSPECTOR, includeCommandLineAPI: true, silent: true } });
    } else {
      // No other session to ask: the target closes the port while our WebSocket is still open
      // and idle, and `inspector.close()` ends it from its side. Closing ours at the same moment
      // as its close() crashed the target (SIGSEGV, Node 20) about one attach in forty.
      await evaluate(cdp, CLOSE_INSPECTOR).catch(() => '');
      await conn.transport.closedByPeer(Math.max(1000, deadline - Date.now()));
      await conn.transport.closedFully();
    }
    return waitFor('', deadline + 5000, () =>
      listInspectorTargets('127.0.0.1', port, 500).then(
        () => undefined,
        (e: NodeJS.ErrnoException) => (e.code === 'ECONNREFUSED' ? true : undefined),
      ),
    ).catch(() => false);
  };

  let agent: AttachedAgent;
  try {
    const actualPid = Number(await evaluate(cdp, 'process.pid'));
    if (actualPid !== pid) {
      await conn.transport.closedFully();
      throw new AttachByPidError(pid, `the inspector on port ${port} belongs to pid ${actualPid}; pass its inspector port explicitly`);
    }
    const agentPath = options.agentPath ?? DEFAULT_AGENT_PATH;
    const { token, id } = listener.issueToken(60_000);
    await evaluate(
      cdp,
      `(function (r) { var w = function (m) { process.stderr.write('[tskernel agent] ' + m + '\\n'); };` +
        ` r(${JSON.stringify(agentPath)}).attach(${JSON.stringify(token)}).then(function (h) { w('attached to the notebook (by pid)');` +
        ` h.closed.then(function (why) { w('detached: ' + why); }); }, function (e) { w('attach failed: ' + e.message); }); return 'started'; })(require)`,
    ).catch((e: Error) => {
      throw new Error(`the target could not load the agent from ${agentPath} (another filesystem, container or user?): ${e.message}`);
    });
    agent = await listener.waitForAgent(id, Math.max(1000, deadline - Date.now()));
    // The agent's own inspector session must be connected before the port closes: closing the
    // inspector while that session is still being set up kills the agent's worker.
    if (!(await agent.link.ready(Math.max(1000, deadline - Date.now())))) throw new Error(`the agent did not start its debugger session (${agent.link.closeReason ?? 'no hello'})`);
  } catch (e) {
    await closeOurInspector();
    throw e instanceof AttachByPidError ? e : new AttachByPidError(pid, (e as Error).message);
  }
  const inspectorClosed = await closeOurInspector(agent.link);
  return { agent, inspectorPort: port, inspectorWasOpen: wasOpen, inspectorClosed, elapsedMs: Date.now() - started };
}
