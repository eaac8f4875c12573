// The seam between the kernel core and the debugger: core hands every `debug_request` content to
// IDebugger.handleRequest and publishes whatever the host's `emit` receives as `debug_event`.
// The debugger never touches ZeroMQ or Jupyter envelopes; it reaches the notebook's runner only
// through the CDP link the runtime hands it (a byte stream to the runner's agent worker).

import type { Duplex } from 'node:stream';
import type { CellFiles } from '../common/cellFiles';
import type { Logger } from '../common/log';

export interface DapRequest {
  seq: number;
  type: 'request';
  command: string;
  arguments?: unknown;
}

export interface DapResponse {
  seq: number;
  type: 'response';
  request_seq: number;
  success: boolean;
  command: string;
  message?: string;
  body?: unknown;
}

export interface DapEvent {
  seq: number;
  type: 'event';
  event: string;
  body?: unknown;
}

/** A connection to the notebook runner's agent worker (CDP relayed over a pipe). */
export interface RunnerCdpLink {
  /** Bidirectional byte stream to the agent worker inside the runner process. */
  stream: Duplex;
  /** The runner's pid (for thread names and diagnostics). */
  pid: number;
}

export interface DebuggerDeps {
  language: 'typescript' | 'javascript';
  /** Cell naming and the registry of executed/dumped cells (path -> source, map, async wrapper column). */
  cells: CellFiles;
  /** Publish a DAP event (the host adds nothing; the debugger fills `seq`). */
  emit(event: DapEvent): void;
  /** Called with the runner's CDP link now (if a runner is up) and after every runner restart. */
  onRunner(cb: (link: RunnerCdpLink) => void): void;
  /** Write a line to the notebook as stderr of the cell that is running (e.g. logpoint errors). */
  log: Logger;
}

export interface IDebugger {
  /** Always resolves with a response (success:false with a readable message on any failure). */
  handleRequest(request: DapRequest): Promise<DapResponse>;
  /** True while thread 1 (the notebook) is paused. */
  isStopped(): boolean;
  /**
   * Resolves once pending debugger work on the runner is done (at once when there is none): the
   * re-attach after a runner (re)start, and breakpoints moved through a cell's source map after
   * `cells.record`. Await it after recording a cell and before running it, so its breakpoints
   * are live and on the right lines. Cheap when idle.
   */
  ready(): Promise<void>;
  /** The user interrupted the kernel: resume a paused notebook so the interrupt can land. */
  onInterrupt(): Promise<void>;
  /**
   * When the debugger evaluations now running on the notebook's main thread end (epoch ms), or 0:
   * no restart for a stuck cell before then, and no SIGINT either (it cannot stop them; right
   * after an interrupt delivered while paused, a second one could land as the cell unwinds).
   */
  runnerBusyUntil(): number;
  dispose(): Promise<void>;
}
