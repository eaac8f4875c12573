// The kernel core: one dispatch table from msg_type to handler, busy/idle around every shell and
// control request (parent = that request), shell executions run one at a time in arrival order
// (stop_on_error aborts the queue), debug_requests on control one at a time in arrival order
// (JupyterLab relies on it), other control requests (kernel_info, interrupt, shutdown) at once —
// a debug_request that takes long never holds them up — and a reply for every request, unknown
// types and handler failures included. Sequencing only: what a request does is its handler's job,
// output routing is OutputRoutes', stdin answers go to whoever the app hands them to.

import { logger } from '../common/log';
import type { Header, Message } from '../wire/messages';
import type { Messenger } from './messenger';
import type { ReplyMap, RequestType } from './protocol';

const log = logger('core');

export type ShellChannel = 'shell' | 'control';

/** A reply to send at once, and work (more output) to finish before the request's idle. */
export class ReplyThen<C> {
  constructor(
    readonly content: C,
    readonly after: Promise<void>,
  ) {}
}

/** A handler's result: the reply content, a reply with work after it, or nothing (no reply). */
export type HandlerResult<K extends RequestType> = ReplyMap[K] | ReplyThen<ReplyMap[K]> | undefined;
export type Handler<K extends RequestType> = (msg: Message, channel: ShellChannel) => Promise<HandlerResult<K>>;

interface Route {
  /** Runs the handler and sends its reply (typed per msg_type when registered). */
  run(msg: Message, channel: ShellChannel): Promise<void>;
  /** Runs in the shell execution queue (in order, behind running cells). */
  queued: boolean;
}

export interface KernelCoreOptions {
  messenger: Messenger;
  /** Messages on the stdin channel (input_reply). */
  onStdin(msg: Message): void;
}

export class KernelCore {
  readonly messenger: Messenger;
  private readonly onStdin: (msg: Message) => void;
  private readonly routes = new Map<string, Route>();
  private readonly shellQueue: Message[] = [];
  private shellBusy = false;
  /** debug_requests, strictly in order among themselves. */
  private debugChain: Promise<void> = Promise.resolve();
  private lastDebug: Header | undefined;

  constructor(opts: KernelCoreOptions) {
    this.messenger = opts.messenger;
    this.onStdin = opts.onStdin;
  }

  on<K extends RequestType>(msgType: K, handler: Handler<K>, opts: { queued?: boolean } = {}): void {
    this.routes.set(msgType, { run: (msg, channel) => this.dispatch(msgType, handler, msg, channel), queued: !!opts.queued });
  }

  /** Header of the latest debug_request: debug events are parented to it (jupyter-debug-protocol §1.5). */
  get lastDebugParent(): Header | undefined {
    return this.lastDebug;
  }

  receive(channel: 'shell' | 'control' | 'stdin', msg: Message): void {
    const type = msg.header.msg_type;
    if (channel === 'stdin') {
      this.onStdin(msg);
      return;
    }
    if (channel === 'control') {
      if (type === 'debug_request') this.debugChain = this.debugChain.then(() => this.handle(msg, 'control'));
      else void this.handle(msg, 'control');
      return;
    }
    if (this.routes.get(type)?.queued) {
      this.shellQueue.push(msg);
      void this.pumpShell();
      return;
    }
    void this.handle(msg, 'shell');
  }

  /** Replies `aborted` to every queued execution (stop_on_error after a failing cell). */
  abortQueue(): void {
    const aborted = this.shellQueue.splice(0).filter((m) => {
      if (m.header.msg_type === 'execute_request') return true;
      this.shellQueue.push(m);
      return false;
    });
    for (const m of aborted) {
      this.messenger.status(m.header, 'busy');
      this.messenger.replyTo('shell', m, 'execute_request', { status: 'aborted', execution_count: null });
      this.messenger.status(m.header, 'idle');
    }
  }

  private async pumpShell(): Promise<void> {
    if (this.shellBusy) return;
    this.shellBusy = true;
    try {
      for (let next = this.shellQueue.shift(); next; next = this.shellQueue.shift()) await this.handle(next, 'shell');
    } finally {
      this.shellBusy = false;
    }
  }

  private async handle(msg: Message, channel: ShellChannel): Promise<void> {
    const type = msg.header.msg_type;
    if (type === 'debug_request') this.lastDebug = msg.header;
    this.messenger.status(msg.header, 'busy');
    try {
      const route = this.routes.get(type);
      if (route) await route.run(msg, channel);
      else {
        log.warn(`unknown message type ${type} on ${channel}`);
        if (type.endsWith('_request')) {
          this.messenger.replyError(channel, msg, type.replace(/_request$/, '_reply'), {
            status: 'error',
            ename: 'UnknownMessageType',
            evalue: `tskernel does not handle ${type}`,
            traceback: [],
          });
        }
      }
    } finally {
      this.messenger.status(msg.header, 'idle');
    }
  }

  private async dispatch<K extends RequestType>(type: K, handler: Handler<K>, msg: Message, channel: ShellChannel): Promise<void> {
    let result: HandlerResult<K>;
    try {
      result = await handler(msg, channel);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      log.error(`handler for ${type} failed`, err);
      this.messenger.replyError(channel, msg, type.replace(/_request$/, '_reply'), { status: 'error', ename: err.name || 'Error', evalue: err.message, traceback: [] });
      return;
    }
    if (result instanceof ReplyThen) {
      this.messenger.replyTo(channel, msg, type, result.content);
      await result.after.catch((e: Error) => log.error(`after-reply work for ${type} failed`, e));
    } else if (result !== undefined) this.messenger.replyTo(channel, msg, type, result);
  }
}
