// What can be attached to, as the notebook user may see it: Node inspectors listening on this host
// (configurable ports, plus on Linux the exact listening ports of each Node process, read from
// /proc), Node processes (for attach by pid) and agents that dialed back and wait in the attach
// listener. On a shared host this list must not show other people's processes or anyone's
// secrets: only processes (and inspector sockets) of the kernel's own uid, never the kernel, its
// runner(s) or Jupyter/tooling processes (processFilter.ts), and every string redacted (redact.ts).

import { listInspectorTargets } from '../targets/inspectorWebSocket';
import type { AttachListener } from './listener';
import { hasEnv, isNodeExecutable, listeningPorts, listeningSockets, ownUid, pidsOf, processArgv, socketOwner } from './procfs';
import { hiddenReason, processLabel, shownCommand } from './processFilter';
import { redactText } from './redact';
import type { DiscoveredAgent, DiscoveredInspector, DiscoveryResult, NodeProcessInfo } from './requests';

export type { DiscoveredAgent, DiscoveredInspector, DiscoveryResult, NodeProcessInfo };

export const DEFAULT_INSPECTOR_PORTS = [9229, 9230, 9231];

/**
 * Why a local process is never offered nor attached to by pid (undefined: it may be). `exclude`
 * holds the notebook's runner pid(s); the kernel itself is always excluded.
 */
export function refusedProcess(pid: number, exclude: readonly number[] = []): string | undefined {
  if (pid === process.pid) return 'that is the kernel itself';
  if (exclude.includes(pid)) return "that is this notebook's runner (it is already thread 1 of the debugger)";
  if (hasEnv(pid, 'TSKERNEL_RUNNER', '1')) return "that is a tskernel notebook runner (another notebook's)";
  const argv = processArgv(pid);
  const hidden = argv && hiddenReason(argv);
  return hidden ? `that is ${hidden}` : undefined;
}

/** Node processes of this user on this host (Linux), minus the kernel, its runners and Jupyter/tooling processes. */
export function findNodeProcesses(exclude: readonly number[] = []): NodeProcessInfo[] {
  const out: NodeProcessInfo[] = [];
  for (const pid of pidsOf(ownUid())) {
    if (pid === process.pid || exclude.includes(pid) || isNodeExecutable(pid) !== true) continue;
    if (refusedProcess(pid, exclude) !== undefined) continue;
    const argv = processArgv(pid);
    if (!argv) continue;
    out.push({ pid, label: processLabel(pid, argv), command: shownCommand(argv) });
  }
  return out;
}

/**
 * The subset of `ports` whose listening socket belongs to this user and not to a refused process.
 * Where /proc has no socket table (not Linux) nothing can be checked and every port is kept.
 */
function ownInspectorPorts(ports: number[], exclude: readonly number[]): number[] {
  const sockets = listeningSockets();
  const uid = ownUid();
  if (!sockets || uid === undefined) return ports;
  const mine = pidsOf(uid);
  return ports.filter((port) => {
    const socks = sockets.filter((s) => s.port === port);
    if (!socks.length || socks.some((s) => s.uid !== uid)) return false;
    return socks.every((s) => {
      const owner = socketOwner(s.inode, mine);
      return owner === undefined || refusedProcess(owner, exclude) === undefined;
    });
  });
}

/** Inspectors answering /json/list on the given loopback ports (short timeout each); titles and URLs redacted. */
export async function discoverInspectors(ports: number[] = DEFAULT_INSPECTOR_PORTS, host = '127.0.0.1', timeoutMs = 500): Promise<DiscoveredInspector[]> {
  const found = await Promise.all(
    ports.map(async (port) => {
      try {
        const targets = await listInspectorTargets(host, port, timeoutMs);
        return { host, port, targets: targets.map((t) => ({ ...t, title: redactText(t.title), url: redactText(t.url) })) };
      } catch {
        return undefined;
      }
    }),
  );
  return found.filter((x): x is DiscoveredInspector => x !== undefined);
}

export interface DiscoverOptions {
  ports?: number[];
  listener?: AttachListener;
  scanProcesses?: boolean;
  /** Also send GET /json/list to every port the Node processes listen on (their HTTP servers too). Off by default. */
  probeProcessPorts?: boolean;
  /** Pids never listed (the notebook's runner); the kernel's own pid always is. */
  excludePids?: readonly number[];
}

export async function discover(options: DiscoverOptions = {}): Promise<DiscoveryResult> {
  const exclude = options.excludePids ?? [];
  const processes = options.scanProcesses === false ? [] : findNodeProcesses(exclude);
  const ports = new Set(options.ports ?? DEFAULT_INSPECTOR_PORTS);
  if (options.probeProcessPorts) for (const p of processes) for (const port of listeningPorts(p.pid) ?? []) ports.add(port);
  const agents = (options.listener?.waitingAgents() ?? []).map((a) => ({
    id: a.id,
    pid: a.info.pid,
    title: redactText(a.info.title),
    node: a.info.node,
    remoteAddress: a.remoteAddress,
    connectedAt: a.connectedAt,
  }));
  return { inspectors: await discoverInspectors(ownInspectorPorts([...ports], exclude)), processes, agents };
}
