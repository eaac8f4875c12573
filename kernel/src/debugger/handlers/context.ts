// What every request handler gets, and the typed handler signature.

import type { DebuggerDeps } from '../api';
import type { AttachManager } from '../attach/manager';
import type { DapArgs, DapBody, DapCommand } from '../protocol';
import type { DebugSession } from '../session';

export interface HandlerContext {
  session: DebugSession;
  /** Attached processes (threads 2+) and the attach listener. */
  attach: AttachManager;
  deps: DebuggerDeps;
  /** `initialized` must follow the initialize reply; attach sends it (or a timer, for clients that wait for it). */
  sendInitialized(): void;
  /** Armed by initialize. */
  scheduleInitialized(): void;
}

export type Handler<K extends DapCommand> = (ctx: HandlerContext, args: DapArgs<K>) => Promise<DapBody<K>>;

export type HandlerTable = { [K in DapCommand]: Handler<K> };
