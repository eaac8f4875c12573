// Runs the compiler worker thread at a lower CPU priority than the kernel's other threads. Its
// work (type checks, taking in new cells, rebuilding programs, collecting their garbage) is the
// only heavy CPU in the kernel, and on a small machine it competed with the threads a user waits
// on: the kernel's main thread, ZeroMQ's, the runner. With a higher nice value the scheduler
// gives those the cores first; the checker still gets all the idle time. Linux only (a thread's
// id, from /proc/thread-self, names it to setpriority); elsewhere nothing changes.

import * as fs from 'node:fs';
import * as os from 'node:os';

/** Nice value of the compiler thread (0 = as the kernel; 19 = lowest). */
const NICE = 10;

export function lowerThreadPriority(): void {
  if (process.platform !== 'linux' || process.env.TSKERNEL_LANG_NICE === 'off') return;
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0 && tid !== process.pid) os.setPriority(tid, Math.max(os.getPriority(tid), NICE));
  } catch {
    // Not permitted or not available: run at the kernel's priority.
  }
}
