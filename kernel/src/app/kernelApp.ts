// Assembles a running kernel from its parts: wire server, core with handlers, runtime client,
// cell files, history, magics, language service and debugger; installs signal handling and
// orderly shutdown — on shutdown_request, SIGTERM, SIGHUP, or when the process that started the
// kernel is gone (parentWatch.ts). SIGINT stays the interrupt.

import type { Duplex } from 'node:stream';
import { CellFiles } from '../common/cellFiles';
import { IdleGc } from '../common/idleGc';
import { logger } from '../common/log';
import { Executor } from '../core/execute';
import { registerHandlers } from '../core/handlers';
import { defaultHistoryFile, History } from '../core/history';
import { InputWaiters } from '../core/inputWaiters';
import { KernelCore } from '../core/kernel';
import { Messenger } from '../core/messenger';
import { OutputRoutes } from '../core/outputRoutes';
import type { LanguageFeatures } from '../core/ports';
import type { IDebugger } from '../debugger/api';
import { Interpreter, loadTranspiler } from '../interpreter/interpreter';
import { Magics } from '../interpreter/magics';
import { warmUpBlanking } from '../lang/transpile/blankTypes';
import { RuntimeClient } from '../runtime/client';
import { readConnectionFile } from '../wire/connection';
import { WireServer } from '../wire/server';
import { createOutputSink } from './outputSink';
import { createLanguageFeatures } from './languageFeatures';
import { wireDebugger } from './debuggerWiring';
import { registerAttachMagics } from './attachMagics';
import { parentToWatch, watchParent } from './parentWatch';

const log = logger('core');

export interface KernelOptions {
  connectionFile: string;
  language: 'typescript' | 'javascript';
  cwd?: string;
}

/** Start-up to stripper warm-up: after a frontend's first kernel_info round trip. */
const STRIPPER_WARM_UP_DELAY_MS = 300;
/** Start-up to the runner's spawn when no kernel_info (nor anything needing the runner) came first. */
const RUNNER_SPAWN_DELAY_MS = 200;
export async function startKernel(opts: KernelOptions): Promise<void> {
  // Read first: the parent may die while the sockets are being bound.
  const parent = parentToWatch(process.env, process.ppid);
  const info = readConnectionFile(opts.connectionFile);
  const server = new WireServer(info);
  const messenger = new Messenger(server);
  const input = new InputWaiters(messenger);
  const routes = new OutputRoutes();
  const core = new KernelCore({ messenger, onStdin: (msg) => input.receive(msg) });
  const cells = new CellFiles(opts.language);
  const history = new History(defaultHistoryFile());
  const magics = new Magics();
  const cwd = opts.cwd ?? process.cwd();

  const runnerListeners: Array<(link: { cdp: Duplex; pid: number }) => void> = [];
  const sink = createOutputSink({ messenger, routes, input, onRunnerRestart: (link) => runnerListeners.forEach((l) => l(link)) });
  const runtime = new RuntimeClient(sink, cwd);
  let lang: LanguageFeatures | undefined;
  let dbg: IDebugger | undefined;
  const interpreter = new Interpreter({
    language: opts.language,
    cells,
    magics,
    get lang() {
      return lang;
    },
  });
  const executor = new Executor({ messenger, runtime, interpreter, history, routes, debuggerReady: () => dbg?.ready() ?? Promise.resolve() });

  let shuttingDown = false;
  // The same orderly way for every cause: attached processes resumed and released, the runner
  // and its cells' processes ended, sockets closed.
  const shutdown = async (why?: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (why) log.info(`shutting down: ${why}`);
    // Whatever happens below, the kernel is gone within a second; with process.exitCode (0 unless
    // a caller set it, e.g. the launcher when the gateway cannot be reached).
    setTimeout(() => process.exit(), 1000).unref();
    await Promise.allSettled([runtime.dispose(), lang?.dispose(), dbg?.dispose()]);
    await server.close();
    process.exit();
  };
  const interrupt = async (): Promise<void> => {
    await dbg?.onInterrupt();
    input.cancel('interrupted');
    executor.interrupt();
    runtime.interrupt(() => dbg?.runnerBusyUntil() ?? 0);
  };

  // The runner and the language service (a compiler in a worker thread) start right after the
  // frontend's first kernel_info has been answered: warm before the first cell, never on the
  // start-up path. Spawning the runner blocks this thread until the child has exec'd (20-40 ms on
  // a quiet 2-core machine, up to 200 ms on a busy one), which used to delay that first reply; a
  // cell or debug request before then spawns it itself.
  const afterFirstKernelInfo = (): void => {
    runtime.start();
    lang?.warmUp();
  };
  registerHandlers({
    core,
    language: opts.language,
    executor,
    runtime,
    history,
    get lang() {
      return lang;
    },
    debugger: () => dbg,
    interrupt,
    shutdown: () => shutdown(),
    afterFirstKernelInfo,
  });
  // The main thread's garbage after a burst of cells goes back to the OS once requests pause.
  const idleGc = new IdleGc({ slackMb: 8, offVariable: 'TSKERNEL_IDLE_GC' });
  await server.start((channel, msg) => {
    idleGc.touch();
    core.receive(channel, msg);
  });
  setTimeout(() => runtime.start(), RUNNER_SPAWN_DELAY_MS).unref();
  messenger.status(undefined, 'starting');
  process.on('SIGINT', () => void interrupt());
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
  // A dead client's terminal or pipe makes our log writes fail (EIO, EPIPE): that must neither
  // crash the kernel nor loop through the uncaught-exception logger below.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  if (parent !== undefined) watchParent(parent, (why) => void shutdown(why));
  process.on('uncaughtException', (e) => log.error('uncaught exception in the kernel (kept running)', e));
  process.on('unhandledRejection', (e) => log.error('unhandled rejection in the kernel (kept running)', e));

  // Off the start-up path: the TypeScript stripper, the language service, the debugger. The
  // stripper's warm-up blocks for ~25 ms, so it waits until the frontend's first kernel_info has
  // been answered (clients send it right after connecting); a cell before then loads it itself.
  setTimeout(() => {
    try {
      loadTranspiler();
      if (opts.language === 'typescript') warmUpBlanking();
    } catch (e) {
      log.warn('stripper warm-up failed', e);
    }
  }, STRIPPER_WARM_UP_DELAY_MS).unref();
  // Created now, started after the first kernel_info reply (or on first use, if that comes first).
  lang = createLanguageFeatures(opts.language, cwd, runtime);
  registerAttachMagics(magics, () => dbg);
  dbg = wireDebugger({ language: opts.language, cells, core, routes, runtime, onRunner: (l) => runnerListeners.push(l) });
}
