// The Jupyter message types the kernel sends, keyed by msg_type and built on @jupyterlab/services'
// `KernelMessage` content types (type-only: erased from the emitted JavaScript, so the kernel does
// not need that package at run time). Handler registration uses `ReplyMap` so each handler's
// return type is checked against its reply; the messenger uses `IOPubMap` for what it publishes.
// Incoming request content is NOT typed from these: it is untrusted and read through requestChecks.ts.
//
// One adaptation: KernelMessage types JSON fields (user_expressions, mime bundles, comm data) as
// lumino's JSONObject, while values the kernel forwards from the runner arrived over a JSON pipe
// and are typed `unknown`. `Loose` widens exactly the fields typed as JSON objects (and leaves
// `any` alone); every other field — status literals, names, counts, strings — stays checked.

import type * as KM from '@jupyterlab/services/lib/kernel/messages';

/** Fields whose type accepts any plain object (JSONObject, mime bundles, metadata) become `Record<string, unknown>`. */
type Loose<T> = { [K in keyof T]: 0 extends 1 & T[K] ? T[K] : Record<string, never> extends NonNullable<T[K]> ? unknown : T[K] };

type Content<M extends { content: unknown }> = Loose<M['content']>;

/** kernel_info_reply plus the debugger flag JupyterLab reads (not in KernelMessage's type). */
export type KernelInfoReply = KM.IInfoReply & { debugger: boolean };

/** What an aborted execution (stop_on_error) gets; jupyter_client spells it `aborted`. */
export interface ExecuteAborted {
  status: 'aborted';
  execution_count: null;
}

export type ShutdownReply = { status: 'ok'; restart: boolean };

/** history_reply: like ipykernel, a cell without recorded output has `null` for it (KernelMessage says string). */
export type HistoryReply = Omit<KM.IHistoryReply, 'history'> & {
  history: Array<[number, number, string] | [number, number, [string, string | null]]>;
};

/** request msg_type -> reply content (`never`: the message has no reply). */
export interface ReplyMap {
  kernel_info_request: KernelInfoReply | KM.IReplyErrorContent;
  execute_request: Content<KM.IExecuteReplyMsg> | ExecuteAborted;
  complete_request: Content<KM.ICompleteReplyMsg>;
  inspect_request: Content<KM.IInspectReplyMsg>;
  is_complete_request: Content<KM.IIsCompleteReplyMsg>;
  history_request: HistoryReply | KM.IReplyErrorContent;
  comm_info_request: Content<KM.ICommInfoReplyMsg>;
  interrupt_request: Content<KM.IInterruptReplyMsg>;
  shutdown_request: ShutdownReply | KM.IReplyErrorContent;
  debug_request: Content<KM.IDebugReplyMsg>;
  comm_open: never;
  comm_msg: never;
  comm_close: never;
}

export type RequestType = keyof ReplyMap;

/** IOPub msg_type -> content. */
export interface IOPubMap {
  status: KM.IStatusMsg['content'];
  stream: KM.IStreamMsg['content'];
  display_data: Content<KM.IDisplayDataMsg>;
  /** Typed as display_data: the runner always names the display to update (display.ts checks it). */
  update_display_data: Content<KM.IDisplayDataMsg>;
  clear_output: KM.IClearOutputMsg['content'];
  execute_input: KM.IExecuteInputMsg['content'];
  execute_result: Content<KM.IExecuteResultMsg>;
  error: KM.IErrorMsg['content'];
  debug_event: KM.IDebugEventMsg['content'];
  comm_open: Content<KM.ICommOpenMsg<'iopub'>> & { metadata?: unknown };
  comm_msg: Content<KM.ICommMsgMsg<'iopub'>> & { metadata?: unknown };
  comm_close: Content<KM.ICommCloseMsg<'iopub'>>;
  shutdown_reply: ShutdownReply;
}
export type IOPubType = keyof IOPubMap;

/** input_request content (stdin). */
export type InputRequest = KM.IInputRequestMsg['content'];

/** The error reply content every request type accepts (unknown types, failed handlers). */
export type ErrorReply = KM.IReplyErrorContent;
