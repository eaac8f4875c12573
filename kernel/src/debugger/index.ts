// The debugger's entry point for the kernel core: createDebugger(deps) -> IDebugger.

import { DebugAdapter } from './adapter';
import type { DebuggerDeps, IDebugger } from './api';

export type { DapEvent, DapRequest, DapResponse, DebuggerDeps, IDebugger, RunnerCdpLink } from './api';

export function createDebugger(deps: DebuggerDeps): IDebugger {
  return new DebugAdapter(deps);
}
