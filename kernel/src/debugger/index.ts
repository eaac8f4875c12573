// The debugger's entry point for the kernel core: createDebugger(host) -> IDebugger.

import { DebugAdapter } from './adapter';
import type { DebuggerHost, IDebugger } from './api';

export type { DapEvent, DapRequest, DapResponse, DebuggerHost, IDebugger, RunnerCdpLink } from './api';

export function createDebugger(host: DebuggerHost): IDebugger {
  return new DebugAdapter(host);
}
