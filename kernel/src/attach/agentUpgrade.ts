// Upgrade of a by-port attach to an agent link. Node's inspector server writes its WebSocket
// frames with Nagle on: a step answers with three small messages (result, resumed, paused) and
// the second waits for our delayed ACK, ~40 ms per step. Over the inspector session we already
// hold, `Runtime.evaluate` requires the remote agent with a fresh single-use token (as the by-pid
// attach does); the agent dials back over TLS with Nagle off and the kernel continues over that
// link. The user's inspector port is left exactly as they had it (open): only our WebSocket
// closes. A process waiting for a debugger (--inspect-brk/--inspect-wait) is not upgraded: its
// event loop does not run until the debugger lets it, and it expects that debugger to stay on
// the inspector. Any failure returns undefined and the caller keeps the plain WebSocket.

import { CdpClient } from '../targets/cdpClient';
import { DEFAULT_AGENT_PATH } from './byPid';
import type { InspectorConnection } from '../targets/inspectorWebSocket';
import type { AttachedAgent, AttachListener } from './listener';
import { orFail } from '../common/deadline';

/** Single-use token lifetime: the agent dials back within milliseconds on loopback. */
const TOKEN_TTL_MS = 30_000;

export interface UpgradeOptions {
  listener: AttachListener;
  /** Bound on the whole upgrade (evaluate, dial back, the agent's session up). */
  timeoutMs: number;
  agentPath?: string;
}

export interface UpgradeResult {
  agent?: AttachedAgent;
  /** The target's pid, if it answered (also when it was not upgraded). */
  pid?: number;
  /** Why the upgrade did not happen (for the log). */
  reason?: string;
}

function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return orFail(p, ms, () => new Error(`${what} timed out after ${ms} ms`));
}

/**
 * The expression run in the target: refuses while it waits for a debugger, else starts the
 * agent (which reports on the target's stderr like the other attach ways) and returns its pid.
 */
function injection(agentPath: string, token: string): string {
  return (
    `(function (r) { var a = process.execArgv.concat(String(process.env.NODE_OPTIONS || '').split(/\\s+/));` +
    ` if (a.some(function (x) { return /^--inspect-(brk|wait)\\b/.test(x); })) return 'waiting:' + process.pid;` +
    ` var w = function (m) { process.stderr.write('[tskernel agent] ' + m + '\\n'); };` +
    ` r(${JSON.stringify(agentPath)}).attach(${JSON.stringify(token)}).then(function (h) { w('attached to the notebook (by port)');` +
    ` h.closed.then(function (why) { w('detached: ' + why); }); }, function (e) { w('attach failed: ' + e.message); }); return 'started:' + process.pid; })(require)`
  );
}

/**
 * Tries to move a fresh inspector connection over to an agent link. On success the agent is
 * taken from the listener (the caller owns its link) and our WebSocket is closed; on failure
 * the WebSocket is closed too (the caller opens a clean one: no stale request ids on it).
 */
export async function upgradeToAgent(conn: InspectorConnection, options: UpgradeOptions): Promise<UpgradeResult> {
  const deadline = Date.now() + options.timeoutMs;
  const left = (): number => Math.max(100, deadline - Date.now());
  const cdp = new CdpClient(conn.transport);
  const { listener } = options;
  let pid: number | undefined;
  try {
    const { token, id } = listener.issueToken(TOKEN_TTL_MS);
    const r = await withDeadline(
      cdp.send('Runtime.evaluate', { expression: injection(options.agentPath ?? DEFAULT_AGENT_PATH, token), includeCommandLineAPI: true, returnByValue: true, silent: true }),
      left(),
      'loading the agent',
    );
    if (r.exceptionDetails) return { reason: r.exceptionDetails.exception?.description?.split('\n')[0] ?? r.exceptionDetails.text };
    const m = /^(started|waiting):(\d+)$/.exec(String(r.result.value));
    if (!m) return { reason: `unexpected answer ${String(r.result.value).slice(0, 100)}` };
    pid = Number(m[2]);
    if (m[1] === 'waiting') return { pid, reason: 'the process waits for a debugger (--inspect-brk/--inspect-wait)' };
    const agent = await listener.waitForAgent(id, left());
    listener.take(agent.id);
    if (!(await agent.link.ready(left()))) {
      agent.link.close();
      return { pid, reason: `the agent did not start its debugger session (${agent.link.closeReason ?? 'no hello'})` };
    }
    return { agent, pid };
  } catch (e) {
    return { pid, reason: (e as Error).message };
  } finally {
    await conn.transport.closedFully();
  }
}
