// What can be attached to: Node inspectors listening on this host (configurable ports, plus on
// Linux the exact listening ports of each Node process, read from /proc), Node processes owned by
// this user (for attach by pid), and agents that dialed back and wait in the attach listener.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { listInspectorTargets } from './inspectorWebSocket';
import type { DiscoveredAgent, DiscoveredInspector, DiscoveryResult, NodeProcessInfo } from './requests';

export type { DiscoveredAgent, DiscoveredInspector, DiscoveryResult, NodeProcessInfo };
import type { AttachListener } from './listener';

export const DEFAULT_INSPECTOR_PORTS = [9229, 9230, 9231];

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** argv of a process (Linux /proc), or undefined. */
export function processArgv(pid: number): string[] | undefined {
  const raw = readText(`/proc/${pid}/cmdline`);
  return raw === undefined ? undefined : raw.split('\0').filter((s) => s.length > 0);
}

/** Whether the process looks like Node.js (executable or argv[0] named node/nodejs). Undefined when unknown. */
export function looksLikeNode(pid: number): boolean | undefined {
  let exe: string | undefined;
  try {
    exe = fs.readlinkSync(`/proc/${pid}/exe`);
  } catch {
    exe = undefined;
  }
  const argv = processArgv(pid);
  if (exe === undefined && argv === undefined) return undefined;
  const isNode = (p: string | undefined): boolean => !!p && /^(node|nodejs)(\.exe)?$|^node\d+$/.test(path.basename(p.replace(/ \(deleted\)$/, '')));
  return isNode(exe) || isNode(argv?.[0]);
}

/** TCP ports the process listens on (Linux: its socket inodes matched against its /proc/<pid>/net/tcp{,6}). */
export function listeningPorts(pid: number): number[] | undefined {
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  const inodes = new Set<string>();
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      /* fd closed meanwhile */
    }
  }
  const ports = new Set<number>();
  for (const table of ['tcp', 'tcp6']) {
    const text = readText(`/proc/${pid}/net/${table}`) ?? '';
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      if (cols.length < 10 || cols[3] !== '0A' || !inodes.has(cols[9])) continue;
      ports.add(parseInt(cols[1].split(':')[1], 16));
    }
  }
  return [...ports];
}

/** Node processes of this user on this host (Linux), excluding this process. */
export function findNodeProcesses(): NodeProcessInfo[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const uid = process.getuid?.();
  const out: NodeProcessInfo[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    try {
      if (uid !== undefined && fs.statSync(`/proc/${e}`).uid !== uid) continue;
    } catch {
      continue;
    }
    if (looksLikeNode(pid) !== true) continue;
    out.push({ pid, command: (processArgv(pid) ?? []).join(' ').slice(0, 300) });
  }
  return out;
}

/** Inspectors answering /json/list on the given loopback ports (short timeout each). */
export async function discoverInspectors(ports: number[] = DEFAULT_INSPECTOR_PORTS, host = '127.0.0.1', timeoutMs = 500): Promise<DiscoveredInspector[]> {
  const found = await Promise.all(
    ports.map(async (port) => {
      try {
        return { host, port, targets: await listInspectorTargets(host, port, timeoutMs) };
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
}

export async function discover(options: DiscoverOptions = {}): Promise<DiscoveryResult> {
  const processes = options.scanProcesses === false ? [] : findNodeProcesses();
  const ports = new Set(options.ports ?? DEFAULT_INSPECTOR_PORTS);
  if (options.probeProcessPorts) for (const p of processes) for (const port of listeningPorts(p.pid) ?? []) ports.add(port);
  const agents = (options.listener?.waitingAgents() ?? []).map((a) => ({
    id: a.id,
    pid: a.info.pid,
    title: a.info.title,
    node: a.info.node,
    remoteAddress: a.remoteAddress,
    connectedAt: a.connectedAt,
  }));
  return { inspectors: await discoverInspectors([...ports]), processes, agents };
}
