// The runner's process group: the runner is spawned detached, so it leads a group of its own and
// every process a cell starts (child_process.spawn, exec, …) joins that group unless it calls
// setsid itself. Ending the group ends the runner and the cells' children together; listing it
// (Linux /proc, field 5 of /proc/<pid>/stat is the group id) tells the user what was ended.

import * as fs from 'node:fs';

export interface GroupMember {
  pid: number;
  /** The command line ("sleep 300"), or the short name from stat when cmdline is unreadable. */
  command: string;
}

export interface ProcStat {
  pid: number;
  comm: string;
  /** R, S, D, Z (zombie: exited, not yet reaped), … */
  state: string;
  ppid: number;
  pgrp: number;
  starttime: number;
}

/** The fields we use of one /proc/<pid>/stat line; undefined when malformed. */
export function parseStat(line: string): ProcStat | undefined {
  // "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
  //  cutime cstime priority nice threads itrealvalue starttime …"; comm may hold spaces and ')'.
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(line.slice(0, open).trim());
  const rest = line
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const ppid = Number(rest[1]);
  const pgrp = Number(rest[2]);
  const starttime = Number(rest[19]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid) || !Number.isInteger(pgrp) || !rest[0]) return undefined;
  return { pid, comm: line.slice(open + 1, close), state: rest[0], ppid, pgrp, starttime: Number.isFinite(starttime) ? starttime : 0 };
}

/** Living members of process group `pgid` (zombies excluded), or [] where /proc is missing. */
export function groupMembers(pgid: number): GroupMember[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const members: GroupMember[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat: ProcStat | undefined;
    try {
      stat = parseStat(fs.readFileSync(`/proc/${name}/stat`, 'utf8'));
    } catch {
      continue; // exited while we looked
    }
    if (!stat || stat.pgrp !== pgid || stat.state === 'Z') continue;
    members.push({ pid: stat.pid, command: commandLine(stat.pid) ?? stat.comm });
  }
  return members.sort((a, b) => a.pid - b.pid);
}

function commandLine(pid: number): string | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const text = raw.split('\0').filter(Boolean).join(' ');
    return text || undefined;
  } catch {
    return undefined;
  }
}

/** Sends `signal` to the whole group; false when no such group exists (any more). */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!(pgid > 1)) return false; // -0 and -1 mean "my group" and "everyone": never
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

const MAX_LISTED = 5;

/** "ended 2 processes started by earlier cells: sleep 300 (pid 1234), …" */
export function describeEnded(members: readonly GroupMember[], by = 'earlier cells'): string {
  const n = members.length;
  const shown = members.slice(0, MAX_LISTED).map((m) => `${truncate(m.command, 80)} (pid ${m.pid})`);
  if (n > MAX_LISTED) shown.push(`and ${n - MAX_LISTED} more`);
  return `ended ${n} process${n === 1 ? '' : 'es'} started by ${by}: ${shown.join(', ')}`;
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}
