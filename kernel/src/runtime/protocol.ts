// Messages between the kernel (runtime client) and the runner child process over the runner's
// control pipe (fd 3), one JSON object per line. `cell` is the kernel's id for the execution
// that caused an output, so output from timers and promises lands in the cell that started them.

export interface MimeBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface ErrorInfo {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface ExecuteOrder {
  type: 'execute';
  id: number;
  /** JavaScript to run (already stripped/transformed; same line structure as the cell). */
  code: string;
  /** The cell path: the script's filename and its URL for the debugger. */
  filename: string;
  /** Human label for tracebacks, e.g. "Cell [3]". */
  label: string;
  /** The raw cell source (for carets in tracebacks). */
  source: string;
  /** True when the transform wrapped the cell in an async function (top-level await/import). */
  isAsync: boolean;
  silent: boolean;
  allowStdin: boolean;
  userExpressions: Record<string, string>;
}

export type ToRunner =
  | ExecuteOrder
  | { type: 'members'; id: number; expression: string }
  | { type: 'preview'; id: number; expression: string }
  | { type: 'comm_open'; comm_id: string; target_name: string; data: unknown; metadata: unknown; cell: number }
  | { type: 'comm_msg'; comm_id: string; data: unknown; metadata: unknown; cell: number }
  | { type: 'comm_close'; comm_id: string; data: unknown; cell: number }
  | { type: 'comm_info'; id: number; target_name?: string }
  | { type: 'cell_labels'; labels: Record<string, string> }
  /** Stop awaiting cell `id` (sent with every SIGINT retry: a bare signal carries no cell id). */
  | { type: 'interrupt'; id: number };

export type FromRunner =
  | { type: 'ready'; pid: number; node: string }
  | { type: 'stream'; cell: number; name: 'stdout' | 'stderr'; text: string }
  | { type: 'display'; cell: number; bundle: MimeBundle; displayId?: string; update: boolean }
  | { type: 'clear'; cell: number; wait: boolean }
  | { type: 'input_request'; cell: number; prompt: string; password: boolean }
  | {
      type: 'done';
      id: number;
      status: 'ok';
      result?: MimeBundle;
      userExpressions: Record<string, unknown>;
    }
  | ({ type: 'done'; id: number; status: 'error' } & ErrorInfo)
  | ({ type: 'async_error'; cell: number } & ErrorInfo)
  | { type: 'answer'; id: number; value: unknown }
  | { type: 'comm_open'; cell: number; comm_id: string; target_name: string; data: unknown; metadata: unknown }
  | { type: 'comm_msg'; cell: number; comm_id: string; data: unknown; metadata: unknown }
  | { type: 'comm_close'; cell: number; comm_id: string; data: unknown };

/** fd numbers inside the runner. */
export const RUNNER_CONTROL_FD = 3;
export const RUNNER_CDP_FD = 4;
export const RUNNER_STDIN_FD = 5;
