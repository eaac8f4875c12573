// The kernel's core assembled in memory the way app/kernelApp.ts assembles it — messenger, core,
// handlers, executor, interpreter, output routes and stdin waiters — over a recording wire
// and a FakeRuntime instead of sockets and a runner process.

import { CellFiles } from '../../../kernel/src/common/cellFiles';
import { Executor } from '../../../kernel/src/core/execute';
import { registerHandlers } from '../../../kernel/src/core/handlers';
import { History } from '../../../kernel/src/core/history';
import { InputWaiters } from '../../../kernel/src/core/inputWaiters';
import { KernelCore } from '../../../kernel/src/core/kernel';
import { OutputRoutes } from '../../../kernel/src/core/outputRoutes';
import type { LanguageFeatures } from '../../../kernel/src/core/ports';
import type { IDebugger } from '../../../kernel/src/debugger/api';
import { createOutputSink } from '../../../kernel/src/app/outputSink';
import { Interpreter } from '../../../kernel/src/interpreter/interpreter';
import { Magics } from '../../../kernel/src/interpreter/magics';
import type { Message } from '../../../kernel/src/wire/messages';
import { FakeRuntime } from './fakeRuntime';
import { recordingMessenger, type RecordingWire, type Sent } from './recordingMessenger';
import type { Messenger } from '../../../kernel/src/core/messenger';

export interface MemoryKernelOptions {
  language?: 'typescript' | 'javascript';
  lang?: LanguageFeatures;
  debugger?: IDebugger;
  reportWaitMs?: number;
  replyHoldMs?: number;
  /** Called when the core receives interrupt_request (after the executor/runtime are told). */
  onInterrupt?: () => void;
}

export interface MemoryKernel {
  core: KernelCore;
  messenger: Messenger;
  wire: RecordingWire;
  runtime: FakeRuntime;
  executor: Executor;
  interpreter: Interpreter;
  magics: Magics;
  cells: CellFiles;
  routes: OutputRoutes;
  input: InputWaiters;
  /** Hands `msg` to the core as if it arrived on `channel`; returns it. */
  send(channel: 'shell' | 'control' | 'stdin', msg: Message): Message;
  /** Resolves with the idle status of `req` (every request ends with one). */
  idle(req: Message, ms?: number): Promise<Sent>;
  shutdowns(): number;
}

export function memoryKernel(opts: MemoryKernelOptions = {}): MemoryKernel {
  const language = opts.language ?? 'typescript';
  const { messenger, wire } = recordingMessenger();
  const input = new InputWaiters(messenger);
  const routes = new OutputRoutes();
  const core = new KernelCore({ messenger, onStdin: (msg) => input.receive(msg) });
  const runtime = new FakeRuntime();
  runtime.sink = createOutputSink({ messenger, routes, input, onRunnerRestart: () => undefined });
  const magics = new Magics();
  const cells = new CellFiles(language, 4242, '/tmp/tskernel-unit');
  const history = new History(null);
  const interpreter = new Interpreter({ language, cells, magics, lang: opts.lang });
  const executor = new Executor({ messenger, runtime, interpreter, history, routes, reportWaitMs: opts.reportWaitMs, replyHoldMs: opts.replyHoldMs });
  let shutdowns = 0;
  registerHandlers({
    core,
    language,
    executor,
    runtime,
    history,
    lang: opts.lang,
    debugger: () => opts.debugger,
    interrupt: async () => {
      input.cancel('interrupted');
      executor.interrupt();
      runtime.interrupt();
      opts.onInterrupt?.();
    },
    shutdown: async () => {
      shutdowns++;
    },
  });
  const send = (channel: 'shell' | 'control' | 'stdin', msg: Message): Message => {
    core.receive(channel, msg);
    return msg;
  };
  const idle = (req: Message, ms?: number): Promise<Sent> =>
    wire.waitFor((s) => s.channel === 'iopub' && s.msg.header.msg_type === 'status' && s.msg.content.execution_state === 'idle' && s.msg.parent_header.msg_id === req.header.msg_id, ms);
  return { core, messenger, wire, runtime, executor, interpreter, magics, cells, routes, input, send, idle, shutdowns: () => shutdowns };
}
