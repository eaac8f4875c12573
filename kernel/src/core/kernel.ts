// The kernel core: one dispatch table from msg_type to handler, busy/idle around every shell and
// control request (parent = that request), shell executions run one at a time in arrival order
// (stop_on_error aborts the queue), debug_requests on control one at a time in arrival order
// (JupyterLab relies on it), other control requests (kernel_info, interrupt, shutdown) at once —
// a debug_request that takes long never holds them up — and a reply for every request, unknown
// types and handler failures included.

import { logger } from '../common/log';
import type { IDebugger } from '../debugger/api';
import type { Header, Message } from '../wire/messages';
import { Messenger, type Transport } from './messenger';

const log = logger('core');

export type ShellChannel = 'shell' | 'control';

/** A reply to send at once, and work (more output) to finish before the request's idle. */
export class ReplyThen {
  constructor(
    readonly content: object,
    readonly after: Promise<void>,
  ) {}
}
export type Handler = (msg: Message, channel: ShellChannel) => Promise<object | undefined>;

interface Route {
  handler: Handler;
  /** Runs in the shell execution queue (in order, behind running cells). */
  queued: boolean;
}

export class KernelCore {
  readonly messenger: Messenger;
  private readonly routes = new Map<string, Route>();
  private readonly shellQueue: Message[] = [];
  private shellBusy = false;
  /** debug_requests, strictly in order among themselves. */
  private debugChain: Promise<void> = Promise.resolve();
  private readonly cellParents = new Map<number, Message>();
  debugger: IDebugger | undefined;
  /** Header of the latest debug_request: debug events are parented to it (jupyter-debug-protocol §1.5). */
  lastDebugParent: Header | undefined;
  private readonly inputWaiters = new Map<string, { resolve: (v: string) => void; reject: (e: Error) => void }>();

  constructor(transport: Transport) {
    this.messenger = new Messenger(transport);
  }

  /** `replyType` defaults to the request type with `_request` replaced by `_reply`. */
  on(msgType: string, handler: Handler, opts: { queued?: boolean } = {}): void {
    this.routes.set(msgType, { handler, queued: !!opts.queued });
  }

  /** The request of the latest execution (where output of attached processes is shown). */
  latestRequest: Message | undefined;

  bindCell(id: number, parent: Message): void {
    this.cellParents.set(id, parent);
    if (parent.header.msg_type === 'execute_request') this.latestRequest = parent;
    if (this.cellParents.size > 2000) this.cellParents.delete(this.cellParents.keys().next().value as number);
  }

  cellParent(id: number): Header | undefined {
    return this.cellParents.get(id)?.header;
  }

  cellRequest(id: number): Message | undefined {
    return this.cellParents.get(id);
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
      this.messenger.reply('shell', m, 'execute_reply', { status: 'aborted', execution_count: null });
      this.messenger.status(m.header, 'idle');
    }
  }

  /** Asks the frontend that sent `parent` for input on the stdin channel. */
  requestInput(parentMsg: Message, prompt: string, password: boolean): Promise<string> {
    return new Promise((resolve, reject) => {
      this.messenger.reply('stdin', parentMsg, 'input_request', { prompt, password });
      this.inputWaiters.set(parentMsg.header.session, { resolve, reject });
    });
  }

  /** Fails every pending input request (interrupt). */
  cancelInput(reason: string): void {
    for (const w of this.inputWaiters.values()) w.reject(new Error(reason));
    this.inputWaiters.clear();
  }

  private onStdin(msg: Message): void {
    if (msg.header.msg_type !== 'input_reply') {
      log.warn(`ignored ${msg.header.msg_type} on stdin`);
      return;
    }
    const w = this.inputWaiters.get(msg.header.session) ?? this.inputWaiters.values().next().value;
    if (!w) return;
    for (const [k, v] of this.inputWaiters) if (v === w) this.inputWaiters.delete(k);
    w.resolve(String((msg.content as { value?: unknown }).value ?? ''));
  }

  private async pumpShell(): Promise<void> {
    if (this.shellBusy) return;
    this.shellBusy = true;
    try {
      while (this.shellQueue.length) await this.handle(this.shellQueue.shift() as Message, 'shell');
    } finally {
      this.shellBusy = false;
    }
  }

  private async handle(msg: Message, channel: ShellChannel): Promise<void> {
    const type = msg.header.msg_type;
    if (type === 'debug_request') this.lastDebugParent = msg.header;
    this.messenger.status(msg.header, 'busy');
    try {
      const route = this.routes.get(type);
      if (!route) {
        log.warn(`unknown message type ${type} on ${channel}`);
        if (type.endsWith('_request')) {
          this.messenger.reply(channel, msg, type.replace(/_request$/, '_reply'), {
            status: 'error',
            ename: 'UnknownMessageType',
            evalue: `tskernel does not handle ${type}`,
            traceback: [],
          });
        }
        return;
      }
      let content: object | undefined;
      try {
        content = await route.handler(msg, channel);
      } catch (e) {
        const err = e as Error;
        log.error(`handler for ${type} failed`, err);
        content = { status: 'error', ename: err?.name ?? 'Error', evalue: err?.message ?? String(e), traceback: [] };
      }
      const replyType = type.replace(/_request$/, '_reply');
      if (content instanceof ReplyThen) {
        this.messenger.reply(channel, msg, replyType, content.content);
        await content.after.catch((e: Error) => log.error(`after-reply work for ${type} failed`, e));
      } else if (content) this.messenger.reply(channel, msg, replyType, content);
    } finally {
      this.messenger.status(msg.header, 'idle');
    }
  }
}
