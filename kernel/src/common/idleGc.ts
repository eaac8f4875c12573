// Gives a thread's garbage back to the OS while the user is not typing. In the compiler worker
// every program update (each check, completion or hover builds a new program and a new checker)
// leaves tens of MB of garbage, and with its 1 GB heap limit V8 lets the old generation grow to
// several times the live ~80 MB before collecting: the kernel's RSS grew ~200 MB over a few
// hundred cells. On the kernel's main thread a burst of cells leaves the young generation grown
// and its promoted garbage in the old one (29 MB committed for 12 MB live after 1,000 cells, 55
// for 19 after 10,000). So once the thread has been quiet for IDLE_MS and its heap has grown by
// more than the slack since the last collection (in use, or committed beyond V8's own headroom),
// it runs a full GC (a request arriving meanwhile waits for it: ~30-80 ms in the worker, a few ms
// on the main thread). A second collection a turn later (after any message that arrived) compacts
// what the first freed: measured 257 -> 232 -> 214 MB RSS after 400 cells. V8 returns the freed
// pages to the OS. Each user names an environment variable that turns it off (to measure).
// `youngNow()` collects only the young generation, for a thread that knows it just finished a
// burst of allocation the next request would otherwise pay to scavenge.

import * as v8 from 'node:v8';
import * as vm from 'node:vm';

const IDLE_MS = 1_000;
const MB = 2 ** 20;

type Gc = (options?: { type: 'major' | 'minor' }) => void;
/** The two numbers of v8.getHeapStatistics() the policy reads. */
type HeapSizes = Pick<v8.HeapInfo, 'used_heap_size' | 'total_heap_size'>;

export interface IdleGcOptions {
  /** Growth since the last collection that makes a quiet period collect. */
  slackMb: number;
  /** Growth that collects between two messages of a burst (no quiet period comes); none if unset. */
  burstSlackMb?: number;
  /** The variable that turns it off when set to `off`. */
  offVariable: string;
}

/** V8's gc function, exposed for this thread only through a fresh context (no --expose-gc flag needed at launch). */
function loadGc(): Gc | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn: unknown = vm.runInNewContext('gc');
    // Later contexts should not see a `gc` global because of us.
    v8.setFlagsFromString('--no-expose-gc');
    return typeof fn === 'function' ? (options) => void (fn as Gc)(options) : undefined;
  } catch {
    return undefined;
  }
}

export class IdleGc {
  private readonly gc: Gc | undefined;
  private readonly heap: () => HeapSizes;
  private readonly slack: number;
  private readonly burstSlack: number;
  private timer: NodeJS.Timeout | undefined;
  private liveAfterGc = 0;
  /** Committed but unused bytes after the last collection (V8's own headroom; see collectIfGrown). */
  private committedSlack = 0;
  /** Full collections run so far (for tests). */
  runs = 0;

  /**
   * `engine` replaces V8's gc and heap statistics (unit tests of the policy); the variable that
   * turns it off still applies.
   */
  constructor(opts: IdleGcOptions, engine?: { gc: Gc; heap: () => HeapSizes }) {
    this.heap = engine?.heap ?? v8.getHeapStatistics;
    this.gc = process.env[opts.offVariable] === 'off' ? undefined : (engine?.gc ?? loadGc());
    this.slack = opts.slackMb * MB;
    this.burstSlack = (opts.burstSlackMb ?? Infinity) * MB;
  }

  /**
   * Called for every message the thread handles: (re)starts the quiet-period timer. A burst of
   * cells (a notebook run top to bottom: ~50 checked cells a second) never leaves a quiet second,
   * so once the heap has grown by the burst slack the collection runs between two messages.
   */
  touch(): void {
    if (!this.gc) return;
    if (this.burstSlack !== Infinity && this.heap().used_heap_size - this.liveAfterGc >= this.burstSlack) this.collectIfGrown();
    if (this.timer) this.timer.refresh();
    else {
      this.timer = setTimeout(() => this.maybeCollect(), IDLE_MS);
      this.timer.unref();
    }
  }

  /**
   * Collects now if the heap grew enough since the last collection (e.g. right after the compiler's
   * staged start): by what it holds, or by the memory it took from the OS. Garbage promoted by a
   * burst can leave the heap 60+ MB above its live size while the bytes in use grew less than the
   * slack.
   */
  collectIfGrown(): void {
    if (!this.gc) return;
    const h = this.heap();
    if (Math.max(h.used_heap_size, h.total_heap_size - this.committedSlack) - this.liveAfterGc < this.slack) return;
    const gc = this.gc;
    gc();
    this.runs++;
    this.setBaseline();
    // The baseline is taken again after the second collection: right after the first, the pages
    // it emptied are often still committed (measured in the language worker after 1,000 cells:
    // 102 MB committed for 68 live after the first, 76 after the second). Taken from the first,
    // that headroom counted as V8's own, and a later burst that grew the heap by 40 MB no longer
    // looked grown: the worker then sat at 117 MB committed after 10,000 cells.
    setImmediate(() => {
      gc();
      this.setBaseline();
    }).unref();
  }

  private setBaseline(): void {
    const after = this.heap();
    this.liveAfterGc = after.used_heap_size;
    this.committedSlack = after.total_heap_size - after.used_heap_size;
  }

  /**
   * Collects the young generation now. The compiler worker calls it right after answering a type
   * check: the new program and checker (~6-8 MB, more than the young generation holds) are then
   * moved out once, between cells, instead of by a scavenge in the middle of the next check
   * (measured: checks of 5-6 ms had every other one 10-12 ms longer).
   */
  youngNow(): void {
    this.gc?.({ type: 'minor' });
  }

  private maybeCollect(): void {
    this.timer = undefined;
    this.collectIfGrown();
  }
}
