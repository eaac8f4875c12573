// A thread's idle collection (the language worker's, the kernel main thread's): a full GC frees garbage the heap grew by, only once the
// heap grew by the slack since the last one, and never when turned off.

import * as v8 from 'node:v8';
import { IdleGc } from '../../../kernel/src/common/idleGc';

const OPTIONS = { slackMb: 24, offVariable: 'TSKERNEL_LANG_IDLE_GC' };
const used = (): number => v8.getHeapStatistics().used_heap_size;

/** ~64 MB of garbage: arrays that are dropped at once. */
function makeGarbage(): void {
  let keep: number[][] = [];
  for (let i = 0; i < 64; i++) keep.push(new Array<number>(128 * 1024).fill(i));
  keep = [];
  void keep;
}

describe('IdleGc', () => {
  afterEach(() => {
    delete process.env.TSKERNEL_LANG_IDLE_GC;
  });

  it('collects garbage the heap grew by, then not again until it grows by the slack', () => {
    const gc = new IdleGc(OPTIONS);
    gc.collectIfGrown();
    const base = gc.runs;
    makeGarbage();
    const before = used();
    gc.collectIfGrown();
    expect(gc.runs).toBe(base + 1);
    expect(before - used()).toBeGreaterThan(32 * 2 ** 20);
    gc.collectIfGrown();
    expect(gc.runs).toBe(base + 1);
  });

  it('collects between two messages of a burst only when given a burst slack', () => {
    const plain = new IdleGc(OPTIONS);
    const burst = new IdleGc({ ...OPTIONS, burstSlackMb: 32 });
    plain.collectIfGrown();
    burst.collectIfGrown();
    const [plainRuns, burstRuns] = [plain.runs, burst.runs];
    makeGarbage();
    plain.touch();
    expect(plain.runs).toBe(plainRuns);
    burst.touch();
    expect(burst.runs).toBe(burstRuns + 1);
  });

  it('takes its baseline after the second collection, once V8 has released what the first emptied', async () => {
    const MB = 2 ** 20;
    const sizes = (usedMb: number, totalMb: number) => ({ used_heap_size: usedMb * MB, total_heap_size: totalMb * MB });
    // The language worker after 1,000 cells: the first collection leaves the emptied pages
    // committed, the second (a turn later) releases them.
    let heap = sizes(97, 117);
    const afterEach = [sizes(67, 102), sizes(67, 75)];
    let collections = 0;
    const idle = new IdleGc(OPTIONS, { gc: () => void (heap = afterEach[Math.min(collections++, 1)]), heap: () => heap });
    idle.collectIfGrown();
    await new Promise((resolve) => setImmediate(resolve));
    expect(collections).toBe(2);
    // Quiet after more cells: live grew by 3 MB, committed by 17 (less than the slack): nothing to do.
    heap = sizes(70, 92);
    idle.collectIfGrown();
    expect(idle.runs).toBe(1);
    // Quiet after a long burst: live grew by 6 MB, committed by 42: collect.
    heap = sizes(73, 117);
    idle.collectIfGrown();
    expect(idle.runs).toBe(2);
  });

  it('does nothing when turned off', () => {
    process.env.TSKERNEL_LANG_IDLE_GC = 'off';
    const gc = new IdleGc(OPTIONS);
    makeGarbage();
    gc.collectIfGrown();
    gc.touch();
    expect(gc.runs).toBe(0);
  });
});
