// Connects the debugger to the core (debug_request -> handleRequest, events -> debug_event on
// IOPub parented to the latest debug_request) and to the runtime (the runner's CDP link, now
// and after every runner restart). Attached processes' output and their unexpected departure are
// shown in the notebook too. The adapter is loaded on the first debug_request, so a kernel that
// is never debugged does not pay for it at start-up.

import type { Duplex } from 'node:stream';
import type { CellFiles } from '../common/cellFiles';
import { logger } from '../common/log';
import type { KernelCore } from '../core/kernel';
import type { OutputRoutes } from '../core/outputRoutes';
import type { DapEvent, DapRequest, DapResponse, IDebugger } from '../debugger/api';
import { DETACHED_BY_NOTEBOOK, KERNEL_SHUT_DOWN } from '../debugger/attach/types';
import type { IRunnerLink } from '../runtime/api';

export interface DebuggerWiring {
  language: 'typescript' | 'javascript';
  cells: CellFiles;
  core: KernelCore;
  /** Where attached processes' output is shown (the latest execution's request). */
  routes: OutputRoutes;
  runtime: IRunnerLink;
  onRunner(cb: (link: { cdp: Duplex; pid: number }) => void): void;
}

/**
 * Output of attached processes (DAP `output` events with a thread id >= 2) also appears in the
 * notebook, under the latest executed cell, each line tagged with its thread.
 */
function showTargetOutput(w: DebuggerWiring, event: DapEvent): void {
  if (event.event !== 'output') return;
  const body = event.body as { category?: string; output?: unknown; threadId?: unknown } | undefined;
  if (!body || typeof body.output !== 'string' || typeof body.threadId !== 'number' || body.threadId < 2) return;
  if (body.category !== 'stdout' && body.category !== 'stderr') return;
  const tag = `[thread ${body.threadId}] `;
  const text = body.output.replace(/^(?=.)/gm, tag);
  w.core.messenger.publish(w.routes.latest()?.header, 'stream', { name: body.category, text });
}

/** Reasons for which the notebook itself asked the target to go: nothing to announce. */
const EXPECTED_DETACH = new Set([DETACHED_BY_NOTEBOOK, KERNEL_SHUT_DOWN]);

/** An attached process that exited or whose link dropped is announced in the notebook too. */
function showTargetGone(w: DebuggerWiring, event: DapEvent): void {
  if (event.event !== 'detachedTarget') return;
  const body = event.body as { threadId?: unknown; reason?: unknown } | undefined;
  if (typeof body?.threadId !== 'number' || typeof body.reason !== 'string' || EXPECTED_DETACH.has(body.reason)) return;
  w.core.messenger.publish(w.routes.latest()?.header, 'stream', { name: 'stderr', text: `[thread ${body.threadId}] detached: ${body.reason}\n` });
}

class LazyDebugger implements IDebugger {
  private inner: IDebugger | undefined;

  constructor(private readonly w: DebuggerWiring) {}

  private load(): IDebugger {
    if (this.inner) return this.inner;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createDebugger } = require('../debugger') as typeof import('../debugger');
    const w = this.w;
    this.inner = createDebugger({
      language: w.language,
      cells: w.cells,
      log: logger('dap'),
      emit: (event) => {
        w.core.messenger.publish(w.core.lastDebugParent, 'debug_event', event);
        showTargetOutput(w, event);
        showTargetGone(w, event);
      },
      onRunner: (cb) => {
        // A runner that is still starting when the debugger loads is handed over now and again
        // when its restart is announced: hand each link over once (a second hand-over would
        // replace the first and close the runner's CDP stream).
        let last: Duplex | undefined;
        const handOver = (stream: Duplex, pid: number): void => {
          if (stream === last) return;
          last = stream;
          cb({ stream, pid });
        };
        handOver(w.runtime.cdpStream, w.runtime.pid);
        w.onRunner((link) => handOver(link.cdp, link.pid));
      },
    });
    return this.inner;
  }

  handleRequest(request: DapRequest): Promise<DapResponse> {
    return this.load().handleRequest(request);
  }
  isStopped(): boolean {
    return this.inner?.isStopped() ?? false;
  }
  ready(): Promise<void> {
    return this.inner?.ready() ?? Promise.resolve();
  }
  onInterrupt(): Promise<void> {
    return this.inner?.onInterrupt() ?? Promise.resolve();
  }
  runnerBusyUntil(): number {
    return this.inner?.runnerBusyUntil() ?? 0;
  }
  dispose(): Promise<void> {
    return this.inner?.dispose() ?? Promise.resolve();
  }
}

export function wireDebugger(w: DebuggerWiring): IDebugger {
  return new LazyDebugger(w);
}
