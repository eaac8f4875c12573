// The runner's SIGINT disposition: an interrupt must stop the running cell or do nothing, never
// kill the runner (its variables would be lost).
//
// A cell runs in `vm` with `breakOnSigint`: Node starts a SIGINT watchdog for the run (its signal
// handler terminates the run's JavaScript) and stops it when the run ends. Around that, while the
// process has SIGINT listeners, Node removes them for the run and adds them back after. Both steps
// leave SIGINT at its default disposition (exit) for a moment: as a run starts (listeners gone,
// watchdog not yet started) and as it ends (watchdog stopped, listeners not yet back). An
// interrupt landing there killed the runner: seen in CI, and in a loop of short runs under a
// SIGINT per millisecond the process died within the first three signals.
//
// The fix is the one Node's REPL uses: start the watchdog once and keep it started for the
// runner's life. Its handler then stays installed; each run's own start and stop only count, and
// a SIGINT between runs (a cell awaiting, or no cell) is ignored. The process keeps no SIGINT
// listener of its own, so `vm` does not remove and re-add anything around runs. Awaiting cells
// are ended by the kernel's `interrupt` order, which names the cell.
//
// A cell may add SIGINT listeners of its own (a server's clean-up): they get SIGINT as in any Node
// process, so while there are any the kept watchdog is stopped and Node manages the signal as
// usual (with its short windows back); when the last one goes, the watchdog is kept again.

interface WatchdogBinding {
  startSigintWatchdog(): void;
  stopSigintWatchdog(): boolean;
}

/** The binding while its watchdog is kept (no SIGINT listeners), else undefined. */
let keptBy: WatchdogBinding | undefined;

/** Node's internal contextify binding, if this Node still lets a process reach it. */
function watchdogBinding(): WatchdogBinding | undefined {
  try {
    const binding = (process as unknown as { binding(name: string): Partial<WatchdogBinding> }).binding('contextify');
    if (typeof binding.startSigintWatchdog === 'function' && typeof binding.stopSigintWatchdog === 'function') {
      return binding as WatchdogBinding;
    }
  } catch {
    /* removed or refused: fall back below */
  }
  return undefined;
}

/**
 * Makes SIGINT harmless to this process outside a cell's synchronous code and a
 * `KeyboardInterrupt` inside it. Returns how: `kept-watchdog`, or `listener` on a Node without
 * the internal binding (the old way: a no-op listener, with Node's short windows).
 */
export function keepSigintFromKillingRunner(): 'kept-watchdog' | 'listener' {
  const binding = watchdogBinding();
  if (!binding) {
    process.on('SIGINT', () => undefined);
    return 'listener';
  }
  binding.startSigintWatchdog();
  keptBy = binding;
  // Node's typings name only the process's own events; `newListener`/`removeListener` are the
  // EventEmitter's.
  const events: NodeJS.EventEmitter = process;
  // Before Node's own `newListener` handler installs its signal handler for the first listener.
  events.prependListener('newListener', (event: string | symbol) => {
    if (event !== 'SIGINT' || !keptBy) return;
    keptBy = undefined;
    binding.stopSigintWatchdog();
  });
  // After Node's own `removeListener` handler has put back the default disposition.
  events.on('removeListener', (event: string | symbol) => {
    if (event !== 'SIGINT' || keptBy || process.listenerCount('SIGINT') > 0) return;
    binding.startSigintWatchdog();
    keptBy = binding;
  });
  return 'kept-watchdog';
}
