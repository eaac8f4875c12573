// Gives the compiler worker's garbage back while the user is not typing. Every program update
// (each check, completion or hover builds a new program and a new checker) leaves tens of MB of
// garbage, and with the worker's 1 GB heap limit V8 lets its old generation grow to several times
// the live ~80 MB before collecting: the kernel's RSS grew ~200 MB over a few hundred cells. So
// once the worker has been quiet for IDLE_MS and the heap has grown by more than SLACK_BYTES
// since the last collection, it runs a full GC (~30-80 ms, only when idle; a request arriving
// meanwhile waits for it at most that long). A second collection a turn later (after any message
// that arrived) compacts what the first freed: measured 257 -> 232 -> 214 MB RSS after 400 cells.
// V8 returns the freed pages to the OS. TSKERNEL_LANG_IDLE_GC=off turns it off (to measure).

import * as v8 from 'node:v8';
import * as vm from 'node:vm';

const IDLE_MS = 1_000;
const SLACK_BYTES = 24 * 2 ** 20;
const BURST_SLACK_BYTES = 160 * 2 ** 20;

type Gc = () => void;

/** V8's gc function, exposed for this thread only through a fresh context (no --expose-gc flag needed at launch). */
function loadGc(): Gc | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn: unknown = vm.runInNewContext('gc');
    // Later contexts should not see a `gc` global because of us.
    v8.setFlagsFromString('--no-expose-gc');
    return typeof fn === 'function' ? () => void fn() : undefined;
  } catch {
    return undefined;
  }
}

export class IdleGc {
  private readonly gc = process.env.TSKERNEL_LANG_IDLE_GC === 'off' ? undefined : loadGc();
  private timer: NodeJS.Timeout | undefined;
  private liveAfterGc = 0;
  /** Full collections run so far (for the service's own tests). */
  runs = 0;

  /**
   * Called after every message the worker handled: (re)starts the quiet-period timer. A burst of
   * cells (a notebook run top to bottom: ~50 checked cells a second) never leaves a quiet second,
   * so once the heap has grown by BURST_SLACK_BYTES the collection runs between two messages.
   */
  touch(): void {
    if (!this.gc) return;
    if (v8.getHeapStatistics().used_heap_size - this.liveAfterGc >= BURST_SLACK_BYTES) this.collectIfGrown();
    if (this.timer) this.timer.refresh();
    else {
      this.timer = setTimeout(() => this.maybeCollect(), IDLE_MS);
      this.timer.unref();
    }
  }

  /** Collects now if the heap grew enough since the last collection (e.g. right after the staged start). */
  collectIfGrown(): void {
    if (!this.gc) return;
    if (v8.getHeapStatistics().used_heap_size - this.liveAfterGc < SLACK_BYTES) return;
    const gc = this.gc;
    gc();
    this.runs++;
    this.liveAfterGc = v8.getHeapStatistics().used_heap_size;
    setImmediate(gc).unref();
  }

  private maybeCollect(): void {
    this.timer = undefined;
    this.collectIfGrown();
  }
}
