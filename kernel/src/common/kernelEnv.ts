// Environment every kernelspec gives the kernel process. glibc keeps one malloc arena per thread,
// and the language service's worker thread (the TypeScript checker rebuilding programs) fragments
// its arenas: without a cap the kernel's RSS grew ~200 MB per 1,000 cells, with two arenas ~5 MB
// (bench/memory.mjs). The runner and processes cells start inherit it.

export const KERNEL_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
