// Environment and Node flags every kernelspec gives the kernel process. glibc keeps one malloc
// arena per thread, and the language service's worker thread (the TypeScript checker rebuilding
// programs) fragments its arenas: without a cap the kernel's RSS grew ~200 MB per 1,000 cells,
// with two arenas ~5 MB (bench/memory.mjs). glibc also raises its mmap and trim thresholds each
// time a large block is freed (up to 32 and 64 MB), after which freed memory stays in the
// process: fixed thresholds (blocks of 128 kB or more get their own mapping, a free top of the
// heap beyond 256 kB goes back) measured ~10 MB less RSS once the language service has loaded and
// ~20-30 MB less after 10,000 cells and a flood, at the same latency. The runner and processes
// cells start inherit them.

export const KERNEL_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '262144' };

/**
 * Node flags for the kernel process (before main.js in the kernelspec's argv). A 2 MB semi-space
 * for the kernel's main thread instead of V8's 8 MB: V8 never shrinks a young generation a burst
 * of messages grew, and after 3,000 cells the main heap held 49 MB committed for 14 MB live (21
 * with this flag; RSS after start 20-40 MB lower). Latency did not change measurably (trivial cell,
 * 600 x 3 interleaved). The language worker sets its own young generation (lang/service/client.ts)
 * and the runner (user code) keeps V8's default.
 */
export const KERNEL_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/** Undoes KERNEL_NODE_FLAGS for heaps created from now on (V8 reads it when it creates a heap). */
export const DEFAULT_SEMI_SPACE_FLAG = '--max-semi-space-size=0';
