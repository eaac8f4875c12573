// Preloaded (NODE_OPTIONS=--require) into the kernel and its runner by bench/memory.mjs only: every
// 100 ms each thread (main threads and worker threads such as the language worker) writes its V8
// heap statistics to TSKERNEL_BENCH_HEAPDIR/<pid>-<thread>.json, so the bench can split the kernel
// tree's memory into kernel, runner and language worker. When the bench bumps the number in
// <dir>/gc, each thread runs a full GC first, so "used" means live bytes. Does nothing when the
// variable is unset. The timer is unref'd: it never keeps a process or thread alive.
'use strict';
const dir = process.env.TSKERNEL_BENCH_HEAPDIR;
if (dir) {
  const fs = require('node:fs');
  const path = require('node:path');
  const v8 = require('node:v8');
  const vm = require('node:vm');
  const { isMainThread, threadId } = require('node:worker_threads');
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const role = process.env.TSKERNEL_RUNNER === '1' ? 'runner' : 'kernel';
  const file = path.join(dir, `${process.pid}-${threadId}.json`);
  // The language worker is the thread that loaded lang/service/worker.js (or .ts from sources).
  const threadName = () => (isMainThread ? 'main' : Object.keys(require.cache).some((f) => /[\\/]lang[\\/]service[\\/]worker\.[jt]s$/.test(f)) ? 'language' : `worker${threadId}`);
  let gcSeen = 0;
  let snapSeen = 0;
  const write = () => {
    let gcAsked = 0;
    try {
      gcAsked = Number(fs.readFileSync(path.join(dir, 'gc'), 'utf8')) || 0;
    } catch {
      // No GC asked for yet.
    }
    if (gcAsked > gcSeen) (gc(), (gcSeen = gcAsked));
    // A heap snapshot of this thread when <dir>/snapshot names a sequence number not seen yet
    // (for finding what per-cell bytes are: diff two snapshots by constructor).
    try {
      const snapAsked = Number(fs.readFileSync(path.join(dir, 'snapshot'), 'utf8')) || 0;
      if (snapAsked > snapSeen) ((snapSeen = snapAsked), v8.writeHeapSnapshot(path.join(dir, `${role}-${threadName()}-${snapAsked}.heapsnapshot`)));
    } catch {
      // No snapshot asked for.
    }
    const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size]));
    const mu = process.memoryUsage();
    const stats = { role, thread: threadName(), pid: process.pid, at: Date.now(), gc: gcSeen, heap: v8.getHeapStatistics(), spaces, external: mu.external, arrayBuffers: mu.arrayBuffers };
    try {
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(stats));
      fs.renameSync(`${file}.tmp`, file);
    } catch {
      // The directory is gone: the bench ended.
    }
  };
  write();
  setInterval(write, 100).unref();
}
