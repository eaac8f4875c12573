// The runtime seam: what the kernel core, the executor and the app wiring need from whatever runs
// cells (the runner child process in production, an in-memory double in unit tests). Interfaces
// only: `RuntimeClient` (client.ts) implements them.

import type { Duplex } from 'node:stream';
import type { ErrorInfo, ExecuteOrder, FromRunner, MimeBundle, ToRunner } from './protocol';

export type Done = Extract<FromRunner, { type: 'done' }>;

/** Where runner output goes; `cell` is the execution id given to `execute`. */
export interface OutputSink {
  stream(cell: number, name: 'stdout' | 'stderr', text: string): void;
  display(cell: number, bundle: MimeBundle, displayId: string | undefined, update: boolean): void;
  clear(cell: number, wait: boolean): void;
  /** Ask the frontend for input; resolves with the reply or rejects when it cannot be asked. */
  inputRequest(cell: number, prompt: string, password: boolean): Promise<string>;
  asyncError(cell: number, error: ErrorInfo): void;
  comm(cell: number, msg: Extract<FromRunner, { type: 'comm_open' | 'comm_msg' | 'comm_close' }>): void;
  /** The runner was replaced; `reason` is shown to the user when a cell was running. */
  runnerRestarted(link: { cdp: Duplex; pid: number }): void;
}

/** Comm orders the kernel forwards from the frontend to the runtime. */
export type CommOrder = Extract<ToRunner, { type: 'comm_open' | 'comm_msg' | 'comm_close' }>;

/** What the core and the executor use: run cells, ask about values, forward comm messages. */
export interface IRuntime {
  /** Resolves once a runner is up (a restarted one included). */
  whenReady(): Promise<void>;
  /** Runs one cell; resolves when it is done (ok, error, interrupted, or the runner died). */
  execute(order: Omit<ExecuteOrder, 'type'>): Promise<Done>;
  /** Ends the running cell (SIGINT, then a restart if it will not stop; see RuntimeClient). */
  interrupt(busyUntil?: () => number): void;
  /** Names of members of a runtime value (`a.b`), or [] when the runner cannot answer now. */
  members(expression: string): Promise<string[]>;
  /** A short text preview of a runtime value, or null. */
  preview(expression: string): Promise<string | null>;
  commInfo(targetName?: string): Promise<Record<string, { target_name: string }>>;
  send(order: CommOrder): void;
  dispose(): Promise<void>;
}

/** The runner's debug link, for the debugger wiring (not needed by the core). */
export interface IRunnerLink {
  readonly pid: number;
  readonly cdpStream: Duplex;
}
