// Watches the process that started the kernel and reports when it is gone, so a kernel never
// outlives its client (a killed terminal, a Jupyter server stopped with SIGINT). Like ipykernel:
// the parent is JPY_PARENT_PID when set (jupyter_client puts its own pid there), else the parent
// at start-up. A cheap poll on an unref'd timer: it never keeps the kernel alive by itself.

import * as fs from 'node:fs';

/** The pid to watch, or undefined for none. */
export function parentToWatch(env: NodeJS.ProcessEnv, ppid: number): number | undefined {
  // ipykernel reads int(JPY_PARENT_PID or 0): empty or 0 means "not set".
  const raw = env.JPY_PARENT_PID?.trim();
  const fromEnv = raw && /^\d+$/.test(raw) ? Number(raw) : 0;
  const pid = fromEnv || ppid;
  // pid 1 never goes away, it is only re-assigned: a kernel started directly by init (in a
  // container, as the entry point) or already orphaned at start has nothing to watch.
  return pid > 1 ? pid : undefined;
}

/** How one probe sees the watched process. */
export interface ParentProbe {
  /** Still there (a zombie does not count: it has exited, only not been reaped). */
  alive(pid: number): boolean;
  /** Some identity that changes when the pid is reused by another process (start time). */
  identity(pid: number): string | undefined;
  /** Our current parent pid (changes when the parent exits and we are re-parented). */
  ppid(): number;
}

export const systemProbe: ParentProbe = {
  alive(pid) {
    const stat = readStat(pid);
    if (stat) return stat.state !== 'Z' && stat.state !== 'X';
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      // EPERM: it exists, it is just not ours to signal.
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
  identity(pid) {
    return readStat(pid)?.starttime;
  },
  ppid: () => process.ppid,
};

/** State and start time from /proc/<pid>/stat (Linux); undefined elsewhere or when it is gone. */
function readStat(pid: number): { state: string; starttime: string } | undefined {
  let line: string;
  try {
    line = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (in parentheses) may contain spaces; fields after it are space-separated.
  const rest = line
    .slice(line.lastIndexOf(')') + 1)
    .trim()
    .split(/\s+/);
  return rest[0] ? { state: rest[0], starttime: rest[19] ?? '' } : undefined;
}

/** A check to run on each poll: returns why the parent is gone, or undefined while it is there. */
export function parentCheck(pid: number, probe: ParentProbe): () => string | undefined {
  const identity = probe.identity(pid);
  // Our own parent: re-parenting (to init or a subreaper) is the surest sign it exited.
  const isOurParent = probe.ppid() === pid;
  return () => {
    if (isOurParent && probe.ppid() !== pid) return `parent process ${pid} exited (re-parented to ${probe.ppid()})`;
    if (!probe.alive(pid)) return `parent process ${pid} exited`;
    if (identity !== undefined && probe.identity(pid) !== identity) return `parent process ${pid} exited (its pid was reused)`;
    return undefined;
  };
}

export const PARENT_POLL_MS = 300;

/** Polls until the parent is gone, then calls `onGone` once. Returns a function that stops it. */
export function watchParent(pid: number, onGone: (why: string) => void, probe: ParentProbe = systemProbe, intervalMs = PARENT_POLL_MS): () => void {
  const check = parentCheck(pid, probe);
  const timer = setInterval(() => {
    const why = check();
    if (why === undefined) return;
    clearInterval(timer);
    onGone(why);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
