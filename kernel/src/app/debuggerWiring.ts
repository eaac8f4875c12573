// Connects the debugger to the core (debug_request -> handleRequest, events -> debug_event on
// IOPub parented to the latest debug_request) and to the runtime (the runner's CDP link, now
// and after every runner restart).

import type { Duplex } from 'node:stream';
import type { CellFiles } from '../common/cellFiles';
import { logger } from '../common/log';
import type { KernelCore } from '../core/kernel';
import { createDebugger, type IDebugger } from '../debugger';
import type { RuntimeClient } from '../runtime/client';

export interface DebuggerWiring {
  language: 'typescript' | 'javascript';
  cells: CellFiles;
  core: KernelCore;
  runtime: RuntimeClient;
  onRunner(cb: (link: { cdp: Duplex; pid: number }) => void): void;
}

export function attachDebugger(w: DebuggerWiring): IDebugger {
  const log = logger('dap');
  return createDebugger({
    language: w.language,
    cells: w.cells,
    log,
    emit: (event) => w.core.messenger.publish(w.core.lastDebugParent, 'debug_event', event),
    onRunner: (cb) => {
      cb({ stream: w.runtime.cdpStream, pid: w.runtime.pid });
      w.onRunner((link) => cb({ stream: link.cdp, pid: link.pid }));
    },
  });
}
