// The three ways to reach a running Node process, each ending in a RemoteTarget with a thread id:
// by inspector port (a plain `--inspect` WebSocket, so the kernel must clean up on detach), by
// pid (the inspector is opened briefly to inject the agent, then closed; the agent dials back),
// and by taking an agent that dialed back after `%listen`. Names read `server.js [pid 42] @ host`.
// Every way has an output source: the agent link's forwarded stdout/stderr, or for a plain
// inspector the target's console API calls (attach/consoleForward.ts).

import * as nodePath from 'node:path';
import type { AgentLink, TargetOutput } from '../../attach/agentLink';
import { attachByPid } from '../../attach/byPid';
import { ConsoleForwarder } from '../../attach/consoleForward';
import { connectInspector } from '../../attach/inspectorWebSocket';
import type { AttachedAgent, AttachListener } from '../../attach/listener';
import { RemoteTarget } from '../../attach/remoteTarget';
import { UserError } from '../errors';
import type { AttachVia } from './types';

/** How long a by-port attach waits for `process.pid` from the target (it may be busy). */
const PID_PROBE_MS = 1500;

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
  const h = remoteAddress.replace(/:\d+$/, '').replace(/^::ffff:/, '');
  return h === '127.0.0.1' || h === '::1' ? 'localhost' : h;
}

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]).finally(() => clearTimeout(timer));
}

export async function connectByPort(args: { port: number; host?: string; allowNonLoopback?: boolean; targetId?: string }, threadId: number): Promise<Connected> {
  const host = args.host ?? '127.0.0.1';
  let conn;
  try {
    conn = await connectInspector({ host, port: args.port, allowNonLoopback: args.allowNonLoopback, targetId: args.targetId });
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  const script = scriptFromUrl(conn.endpoint.url, conn.endpoint.title);
  // Its console output: the forwarder enables Runtime on this session (nothing else does).
  const output = new ConsoleForwarder(conn.transport);
  const shownHost = host === '127.0.0.1' || host === '::1' ? 'localhost' : host;
  const target = new RemoteTarget(conn.transport, { threadId, name: targetName(script, undefined, shownHost), expectHello: false, onThisHost: shownHost === 'localhost' });
  // /json/list does not carry the pid: ask the target (bounded; a busy target stays unnamed).
  const r = await withDeadline(
    target.cdp.send('Runtime.evaluate', { expression: 'process.pid', returnByValue: true, silent: true }).catch(() => undefined),
    PID_PROBE_MS,
  );
  const pid = typeof r?.result.value === 'number' ? r.result.value : undefined;
  if (pid) {
    target.pid = pid;
    target.name = targetName(script, pid, shownHost);
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
