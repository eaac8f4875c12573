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
// a SIGINT between runs (a cell awaiting, or no cell) is ignored. Awaiting cells are ended by the
// kernel's `interrupt` order, which names the cell.
//
// Cells may add SIGINT listeners of their own (a server's clean-up). Node would install its own
// signal handler for them (and `vm` would then remove and re-add them around every run, with the
// windows above), so the runner keeps Node from watching SIGINT at all: the listeners are plain
// JavaScript listeners, called when an interrupt ends an awaiting cell (`interruptListeners`), the
// moment a Node process would have received the signal. Where Node's internals differ from what
// this expects, the kept watchdog steps aside while such listeners exist (Node's handling, windows
// included), or, without the watchdog binding at all, the runner keeps a no-op listener as before.

interface WatchdogBinding {
  startSigintWatchdog(): void;
  stopSigintWatchdog(): boolean;
}

type Listener = (...args: unknown[]) => void;

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

// Node's typings name only the process's own events; `newListener`/`removeListener` are the
// EventEmitter's.
const events: NodeJS.EventEmitter = process;

/** Whether cells' SIGINT listeners are called by interruptListeners() (Node does not watch SIGINT). */
let listenersOurs = false;

/**
 * Makes SIGINT harmless to this process outside a cell's synchronous code and a
 * `KeyboardInterrupt` inside it. Returns how (see the header): `kept-watchdog`,
 * `kept-watchdog-stepping-aside`, or `listener`.
 */
export function keepSigintFromKillingRunner(): 'kept-watchdog' | 'kept-watchdog-stepping-aside' | 'listener' {
  const binding = watchdogBinding();
  if (!binding) {
    process.on('SIGINT', () => undefined);
    return 'listener';
  }
  binding.startSigintWatchdog();
  // Node's `newListener` handler that installs its signal handler for a signal's first listener.
  const startWatching = events.listeners('newListener').find((l) => l.name === 'startListeningIfSignal') as Listener | undefined;
  if (startWatching) {
    events.removeListener('newListener', startWatching);
    events.prependListener('newListener', function startListeningIfSignalButSigint(this: unknown, ...args: unknown[]) {
      if (args[0] !== 'SIGINT') startWatching.apply(this, args);
    });
    listenersOurs = true;
    return 'kept-watchdog';
  }
  stepAsideForListeners(binding);
  return 'kept-watchdog-stepping-aside';
}

/** While cells have SIGINT listeners, the kept watchdog is stopped and Node handles SIGINT. */
function stepAsideForListeners(binding: WatchdogBinding): void {
  let kept = true;
  // Before Node's own `newListener` handler installs its signal handler for the first listener.
  events.prependListener('newListener', (event: string | symbol) => {
    if (event !== 'SIGINT' || !kept) return;
    kept = false;
    binding.stopSigintWatchdog();
  });
  // After Node's own `removeListener` handler has put back the default disposition.
  events.on('removeListener', (event: string | symbol) => {
    if (event !== 'SIGINT' || kept || process.listenerCount('SIGINT') > 0) return;
    binding.startSigintWatchdog();
    kept = true;
  });
}

/**
 * An interrupt ended an awaiting cell: calls the cells' SIGINT listeners, as the signal would
 * have in any Node process (on the next turn of the event loop, so what they throw is the cells'
 * uncaught exception, not the runner's).
 */
export function interruptListeners(): void {
  if (!listenersOurs || process.listenerCount('SIGINT') === 0) return;
  setImmediate(() => process.emit('SIGINT', 'SIGINT'));
}
