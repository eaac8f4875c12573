// Per-process runner state shared by the runner's modules: the control channel and the
// AsyncLocalStorage that remembers which execution (cell) started the code now running, so
// output from timers and promises is routed to that cell.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { RunnerChannel } from './channel';

export const cellStore = new AsyncLocalStorage<number>();

let channel: RunnerChannel | undefined;
/** The most recent execution: output from code with no cell context goes there. */
let lastCell = 0;

export function setChannel(c: RunnerChannel): void {
  channel = c;
}

export function getChannel(): RunnerChannel {
  if (!channel) throw new Error('tskernel runner channel not initialised');
  return channel;
}

export function setLastCell(id: number): void {
  lastCell = id;
}

export function currentCell(): number {
  return cellStore.getStore() ?? lastCell;
}
