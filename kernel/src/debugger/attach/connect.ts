// The three ways to reach a running Node process, each ending in a RemoteTarget with a thread id:
// by inspector port (a plain `--inspect` WebSocket, so the kernel must clean up on detach; on this
// host upgraded to an injected agent's link when it can be, see attach/agentUpgrade.ts), by
// pid (the inspector is opened briefly to inject the agent, then closed; the agent dials back),
// and by taking an agent that dialed back after `%listen`. Names read `server.js [pid 42] @ host`.
// Every way has an output source: the agent link's forwarded stdout/stderr, or for a plain
// inspector the target's console API calls (attach/consoleForward.ts).

import * as nodePath from 'node:path';
import type { AgentLink, TargetOutput } from '../../targets/agentLink';
import { attachByPid } from '../../attach/byPid';
import { ConsoleForwarder } from '../../attach/consoleForward';
import { isLoopbackHost, shownHost } from '../../attach/loopback';
import { upgradeToAgent } from '../../attach/agentUpgrade';
import { connectInspector, type InspectorConnection } from '../../targets/inspectorWebSocket';
import type { AttachedAgent, AttachListener } from '../../attach/listener';
import { RemoteTarget } from '../../targets/remoteTarget';
import { logger } from '../../common/log';
import { UserError } from '../errors';
import type { AttachVia } from './types';
import { within } from '../../common/deadline';

/** How long a by-port attach waits for `process.pid` from the target (it may be busy). */
const PID_PROBE_MS = 1500;
/** Bound on moving a by-port attach to an agent link (the agent dials loopback in ~0.1 s). */
const UPGRADE_MS = 3000;
const log = logger('dap');

/** The listener an upgraded by-port attach needs for the agent to dial back; `release` when unused. */
export interface AgentDialBack {
  listener(): Promise<AttachListener>;
  release(): Promise<void>;
}

export interface Connected {
  target: RemoteTarget;
  via: AttachVia;
  /** The agent link (dial-back and by pid): it cleans up on its own and knows why it closed. */
  link?: AgentLink;
  /** Where the target's output comes from (shown in the notebook as the thread's output). */
  output?: { onOutput(listener: (o: TargetOutput) => void): void };
  warning?: string;
  inspectorClosed?: boolean;
}

export function targetName(script: string | undefined, pid: number | undefined, host: string): string {
  const base = script ? nodePath.basename(script) : 'node';
  return `${base}${pid ? ` [pid ${pid}]` : ''} @ ${host}`;
}

function scriptFromUrl(url: string, title: string): string | undefined {
  if (url.startsWith('file://')) return decodeURIComponent(url.slice('file://'.length));
  return title || undefined;
}

function hostOf(remoteAddress: string): string {
  return shownHost(remoteAddress.replace(/:\d+$/, '').replace(/^::ffff:/, ''));
}

async function openInspector(args: { port: number; host?: string; allowNonLoopback?: boolean; targetId?: string }, host: string): Promise<InspectorConnection> {
  try {
    return await connectInspector({ host, port: args.port, allowNonLoopback: args.allowNonLoopback, targetId: args.targetId });
  } catch (e) {
    throw new UserError((e as Error).message);
  }
}

/**
 * By port. On this host (loopback) with `dialBack`, the target is moved to an injected agent's
 * link first (fast stepping, see attach/agentUpgrade.ts); if that fails, a fresh WebSocket is used.
 */
export async function connectByPort(args: { port: number; host?: string; allowNonLoopback?: boolean; targetId?: string }, threadId: number, dialBack?: AgentDialBack): Promise<Connected> {
  const host = args.host ?? '127.0.0.1';
  let conn = await openInspector(args, host);
  if (dialBack && isLoopbackHost(host)) {
    const up = await upgradeToAgent(conn, { listener: await dialBack.listener(), timeoutMs: UPGRADE_MS });
    if (up.agent) return { ...adoptAgent(up.agent, threadId, 'port'), ...(conn.warning ? { warning: conn.warning } : {}) };
    log.info(`attach by port ${args.port}: staying on the inspector WebSocket (${up.reason ?? 'no agent'})`);
    await dialBack.release();
    conn = await openInspector(args, host);
  }
  const script = scriptFromUrl(conn.endpoint.url, conn.endpoint.title);
  // Its console output: the forwarder enables Runtime on this session (nothing else does).
  const output = new ConsoleForwarder(conn.transport);
  const target = new RemoteTarget(conn.transport, { threadId, name: targetName(script, undefined, shownHost(host)), expectHello: false, onThisHost: isLoopbackHost(host) });
  // /json/list does not carry the pid: ask the target (bounded; a busy target stays unnamed).
  const r = await within(
    target.cdp.send('Runtime.evaluate', { expression: 'process.pid', returnByValue: true, silent: true }).catch(() => undefined),
    PID_PROBE_MS,
  );
  const pid = typeof r?.result.value === 'number' ? r.result.value : undefined;
  if (pid) {
    target.pid = pid;
    target.name = targetName(script, pid, shownHost(host));
  }
  return { target, via: 'port', output, warning: conn.warning };
}

export function adoptAgent(agent: AttachedAgent, threadId: number, via: AttachVia): Connected {
  const script = agent.info.argv[0] ?? agent.info.title;
  const host = hostOf(agent.remoteAddress);
  const target = new RemoteTarget(agent.link, { threadId, name: targetName(script, agent.info.pid, host), pid: agent.info.pid, expectHello: true, onThisHost: via === 'pid' || host === 'localhost' });
  return { target, via, link: agent.link, output: agent.link };
}

/** `refusePids`: the notebook's runner, never attached by pid (the kernel itself never is either). */
export async function connectByPid(listener: AttachListener, args: { pid: number; inspectorPorts?: number[] }, threadId: number, refusePids: readonly number[]): Promise<Connected> {
  let res;
  try {
    res = await attachByPid({ listener, pid: args.pid, ports: args.inspectorPorts, refusePids });
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  // It waits in the listener like any dial-back agent: take it so `%attach` does not take it twice.
  listener.take(res.agent.id);
  const c = adoptAgent(res.agent, threadId, 'pid');
  const warning = res.inspectorWasOpen
    ? `the inspector of pid ${args.pid} was already open on port ${res.inspectorPort}; it stays open`
    : res.inspectorClosed
      ? undefined
      : `the inspector port ${res.inspectorPort} of pid ${args.pid} could not be confirmed closed`;
  return { ...c, inspectorClosed: res.inspectorClosed, ...(warning ? { warning } : {}) };
}
