// Connects the debugger to the core (debug_request -> handleRequest, events -> debug_event on
// IOPub parented to the latest debug_request) and to the runtime (the runner's CDP link).
// (Until the debugger lands, the kernel runs without it.)

import type { Duplex } from 'node:stream';
import type { CellFiles } from '../common/cellFiles';
import type { KernelCore } from '../core/kernel';
import type { IDebugger } from '../debugger/api';
import type { RuntimeClient } from '../runtime/client';

export interface DebuggerWiring {
  language: 'typescript' | 'javascript';
  cells: CellFiles;
  core: KernelCore;
  runtime: RuntimeClient;
  onRunner(cb: (link: { cdp: Duplex; pid: number }) => void): void;
}

export function attachDebugger(_w: DebuggerWiring): IDebugger | undefined {
  return undefined;
}
