// Facts about local processes read from Linux /proc: argv, owner uid, the real executable, an
// environment flag (own-uid processes only), whether a signal is caught, and listening TCP
// sockets with their owners. Each answer is `undefined` when /proc cannot tell (another OS, the
// process went away, no permission), so callers decide what "unknown" means for them.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** argv of a process, or undefined. */
export function processArgv(pid: number): string[] | undefined {
  const raw = readText(`/proc/${pid}/cmdline`);
  return raw === undefined ? undefined : raw.split('\0').filter((s) => s.length > 0);
}

/** Owner (real uid) of a process, or undefined. */
export function processUid(pid: number): number | undefined {
  try {
    return fs.statSync(`/proc/${pid}`).uid;
  } catch {
    return undefined;
  }
}

/** This process's uid (undefined where there are no uids). */
export function ownUid(): number | undefined {
  return process.getuid?.();
}

/**
 * Whether a process of this user has `NAME=value` in its environment. Never reads another
 * user's environment (the kernel could, as root; it has no business doing so).
 */
export function hasEnv(pid: number, name: string, value: string): boolean | undefined {
  const uid = ownUid();
  if (uid === undefined || processUid(pid) !== uid) return undefined;
  const raw = readText(`/proc/${pid}/environ`);
  return raw === undefined ? undefined : raw.split('\0').includes(`${name}=${value}`);
}

let ownNode: fs.Stats | undefined;
const NODE_NAME = /^(node|nodejs)(\.exe)?$|^node\d+$/;

/** The executable the process really runs (/proc/PID/exe, not argv[0], which anyone can set). */
export function processExe(pid: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    return undefined;
  }
}

/**
 * Whether the process's executable is Node.js: the same file as the kernel's own node (device
 * and inode through /proc/PID/exe, so renames and symlinks do not matter), or a binary named
 * node/nodejs/nodeNN. argv[0] is never consulted: `exec -a node sleep` must not pass.
 */
export function isNodeExecutable(pid: number): boolean | undefined {
  const exe = processExe(pid);
  if (exe === undefined) return undefined;
  try {
    ownNode ??= fs.statSync(process.execPath);
    const st = fs.statSync(`/proc/${pid}/exe`);
    if (st.dev === ownNode.dev && st.ino === ownNode.ino) return true;
  } catch {
    /* fall back to the name */
  }
  return NODE_NAME.test(path.basename(exe));
}

/**
 * Whether the process has a handler installed for `signal` (SigCgt in /proc/PID/status). A
 * process that does not catch SIGUSR1 is terminated by it: Node installs its handler at start-up
 * (unless started with --disable-sigusr1), so this is the check that matters before signalling.
 */
export function catchesSignal(pid: number, signal: NodeJS.Signals): boolean | undefined {
  const num = os.constants.signals[signal];
  const m = /^SigCgt:\s*([0-9a-f]+)$/im.exec(readText(`/proc/${pid}/status`) ?? '');
  if (!m || !num) return undefined;
  return ((BigInt(`0x${m[1]}`) >> BigInt(num - 1)) & 1n) === 1n;
}

/** Socket inodes the process holds open, or undefined. */
function socketInodes(pid: number): Set<string> | undefined {
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
  return inodes;
}

export interface ListeningSocket {
  port: number;
  uid: number;
  inode: string;
}

/** Listening TCP sockets in a /proc net table (`/proc/net` or `/proc/PID/net`), or undefined. */
export function listeningSockets(netDir = '/proc/net'): ListeningSocket[] | undefined {
  const out: ListeningSocket[] = [];
  let any = false;
  for (const table of ['tcp', 'tcp6']) {
    const text = readText(`${netDir}/${table}`);
    if (text === undefined) continue;
    any = true;
    for (const line of text.split('\n').slice(1)) {
      // cols: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue;
      out.push({ port: parseInt(cols[1].split(':')[1], 16), uid: Number(cols[7]), inode: cols[9] });
    }
  }
  return any ? out : undefined;
}

/** TCP ports the process listens on (its socket inodes matched against its net tables). */
export function listeningPorts(pid: number): number[] | undefined {
  const inodes = socketInodes(pid);
  if (!inodes) return undefined;
  const socks = listeningSockets(`/proc/${pid}/net`) ?? [];
  return [...new Set(socks.filter((s) => inodes.has(s.inode)).map((s) => s.port))];
}

/** Which of `pids` holds the socket with this inode (undefined if none of them). */
export function socketOwner(inode: string, pids: readonly number[]): number | undefined {
  return pids.find((pid) => socketInodes(pid)?.has(inode));
}

/** All pids in /proc owned by `uid`. */
export function pidsOf(uid: number | undefined): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => uid === undefined || processUid(pid) === uid);
}
