// Entry point of the runner child process: wires the control pipe, captures stdout/stderr into
// stream messages of the current cell, installs cell globals, starts the debugger agent worker,
// and serves the kernel's orders (execute, completions, previews, comms).

import { endRunnerProcessGroup, startRunnerAgent } from '../../agent/runnerAgent';
import { ownDependencyDirs } from './ownDependencies';
import { RUNNER_CDP_FD, RUNNER_CONTROL_FD, type ToRunner } from '../protocol';
import { RunnerChannel } from './channel';
import { captureOutput } from './consoleCapture';
import { frontendClosed, frontendMessage, frontendOpened, openComms } from './comms';
import { currentCell, setChannel } from './context';
import { formatError } from './errors';
import { execute, interruptAwaitingCell } from './execute';
import { installGlobals, memberNames, previewOf } from './globals';
import { installTypeScriptLoaders, loadResolver } from './imports';
import { interruptListeners, keepSigintFromKillingRunner } from './sigint';

// When the kernel goes, the runner and whatever its cells started go with it (the agent worker
// does the same from its side, for when this thread is stuck in a loop).
const channel = new RunnerChannel(RUNNER_CONTROL_FD, (order) => void serve(order), endRunnerProcessGroup);
setChannel(channel);

captureOutput(channel);

// An interrupt stops a cell's synchronous code and never kills the runner (sigint.ts).
keepSigintFromKillingRunner();
process.on('uncaughtException', (err) => {
  channel.send({ type: 'async_error', cell: currentCell(), ...formatError(err) });
});
process.on('unhandledRejection', (reason) => {
  const info = formatError(reason);
  channel.send({ type: 'async_error', cell: currentCell(), ...info, ename: `Unhandled promise rejection: ${info.ename}` });
});
process.on('exit', () => channel.flushSync());

installGlobals(process.cwd());
// The runner's own dependencies are not user code: hide them from stacks, pauses and sources.
// Started now, not lazily: created on the first cell instead, its boot (a worker thread, ~10 MB)
// added 20-70 ms to that cell on a busy 2-core machine, and it is what ends the runner when the
// kernel dies during a busy cell.
startRunnerAgent(RUNNER_CDP_FD, { hiddenPaths: ownDependencyDirs(), endGroupWithLink: true });

async function serve(order: ToRunner): Promise<void> {
  switch (order.type) {
    case 'execute':
      // Run the cell from a microtask, once the pipe's read callback has returned: its stack then
      // starts at the cell's own frames instead of under a dozen frames of stream plumbing, and
      // every debugger pause (V8 describes each frame, with its scopes) is that much cheaper.
      await Promise.resolve();
      channel.send(await execute(order));
      break;
    case 'members':
      channel.send({ type: 'answer', id: order.id, value: memberNames(order.expression) });
      break;
    case 'preview':
      channel.send({ type: 'answer', id: order.id, value: previewOf(order.expression) ?? null });
      break;
    case 'comm_open':
      if (!frontendOpened(order.comm_id, order.target_name, order.data, order.metadata)) {
        channel.send({ type: 'comm_close', cell: order.cell, comm_id: order.comm_id, data: {} });
      }
      break;
    case 'comm_msg':
      frontendMessage(order.comm_id, order.data, order.metadata);
      break;
    case 'comm_close':
      frontendClosed(order.comm_id, order.data);
      break;
    case 'comm_info':
      channel.send({ type: 'answer', id: order.id, value: openComms(order.target_name) });
      break;
    case 'cell_labels':
      break;
    case 'interrupt':
      // The cells' own SIGINT listeners hear an interrupt that ends an awaiting cell (sigint.ts).
      if (interruptAwaitingCell(order.id)) interruptListeners();
      break;
  }
}

channel.send({ type: 'ready', pid: process.pid, node: process.version });
// Off the start-up path: the require hook for .ts files and the ESM resolver (the ESM hooks
// thread starts on the first import that may need it: imports.ts).
setImmediate(() => {
  installTypeScriptLoaders();
  void loadResolver().catch(() => undefined);
});
