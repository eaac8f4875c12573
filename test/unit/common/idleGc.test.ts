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

  it('does nothing when turned off', () => {
    process.env.TSKERNEL_LANG_IDLE_GC = 'off';
    const gc = new IdleGc(OPTIONS);
    makeGarbage();
    gc.collectIfGrown();
    gc.touch();
    expect(gc.runs).toBe(0);
  });
});
