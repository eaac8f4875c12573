// Registers the kernel's request handlers on the core: kernel_info, execute, complete, inspect,
// is_complete, history, comm_*, shutdown, interrupt and debug. Each returns the reply content;
// the core sends it and the busy/idle around it. Content of obviously wrong types (a `code` that
// is not a string) gets a BadRequest error reply instead of silently doing nothing.

import type { Message } from '../wire/messages';
import type { IRuntime } from '../runtime/api';
import type { Executor } from './execute';
import { readHistoryRequest, type History } from './history';
import { ReplyThen, type KernelCore } from './kernel';
import { kernelInfo } from './kernelInfo';
import { badRequest, checkCodeCursor, checkExecute, checkOptionalCode, stringRecord } from './requestChecks';
import type { LanguageFeatures } from './ports';
import type { DapResponse, IDebugger } from '../debugger/api';
import type { KernelInfoReply } from './protocol';
import { codePointToUtf16, utf16ToCodePoint } from '../common/codePoints';

export interface HandlerDeps {
  core: KernelCore;
  language: 'typescript' | 'javascript';
  executor: Executor;
  runtime: IRuntime;
  history: History;
  lang?: LanguageFeatures;
  /** The debugger, once wired (read at request time: it is created after the handlers). */
  debugger(): IDebugger | undefined;
  interrupt(): Promise<void>;
  shutdown(restart: boolean): Promise<void>;
  /** Called once the first kernel_info_reply has been handed to the socket (start background work). */
  afterFirstKernelInfo?: () => void;
}

/** The identifier or member chain that ends at `pos` (e.g. `foo.bar.ba`). */
function tokenBefore(code: string, pos: number): { start: number; text: string } {
  const m = /[A-Za-z_$][\w$]*(?:\s*\??\.\s*[A-Za-z_$][\w$]*)*\s*\??\.?\s*[\w$]*$/.exec(code.slice(0, pos));
  return m ? { start: m.index, text: m[0] } : { start: pos, text: '' };
}

export function registerHandlers(d: HandlerDeps): void {
  const { core } = d;

  let infoAnswered = false;
  const info = async (): Promise<KernelInfoReply> => {
    if (!infoAnswered && d.afterFirstKernelInfo) {
      infoAnswered = true;
      // setImmediate: after the core has sent this reply (it does so when the promise resolves).
      const after = d.afterFirstKernelInfo;
      setImmediate(after);
    }
    return kernelInfo(d.language, !!d.debugger());
  };
  core.on('kernel_info_request', info);

  core.on(
    'execute_request',
    async (msg) => {
      const c = msg.content;
      const problem = checkExecute(c);
      // Nothing runs and the count stays: the request never became an execution.
      if (problem || typeof c.code !== 'string') return { ...badRequest('execute_request', problem ?? 'no code'), execution_count: d.executor.executionCount };
      const { reply, after } = await d.executor.execute(msg, {
        code: c.code,
        silent: !!c.silent,
        store_history: c.store_history !== false,
        user_expressions: stringRecord(c.user_expressions),
        allow_stdin: c.allow_stdin !== false,
        stop_on_error: c.stop_on_error !== false,
      });
      if (reply.status === 'error' && c.stop_on_error !== false) core.abortQueue();
      return after ? new ReplyThen(reply, after) : reply;
    },
    { queued: true },
  );

  core.on('complete_request', async (msg) => {
    const c = msg.content;
    const problem = checkCodeCursor(c);
    if (problem) return badRequest('complete_request', problem);
    const code = typeof c.code === 'string' ? c.code : '';
    const cp = typeof c.cursor_pos === 'number' ? Math.max(0, Math.min(c.cursor_pos, [...code].length)) : [...code].length;
    if (d.lang) {
      const r = await d.lang.complete(code, cp);
      return { status: 'ok', ...r };
    }
    // No language service: runtime members of `expr.` plus nothing else.
    const pos = codePointToUtf16(code, cp);
    const tok = tokenBefore(code, pos);
    const dot = tok.text.lastIndexOf('.');
    const prefix = dot >= 0 ? tok.text.slice(dot + 1).trim() : tok.text;
    const names = dot >= 0 ? await d.runtime.members(tok.text.slice(0, dot).replace(/\?$/, '')) : [];
    const matches = names.filter((n) => n.startsWith(prefix));
    return { status: 'ok', matches, cursor_start: utf16ToCodePoint(code, pos - prefix.length), cursor_end: cp, metadata: {} };
  });

  core.on('inspect_request', async (msg) => {
    const c = msg.content;
    const problem = checkCodeCursor(c);
    if (problem) return badRequest('inspect_request', problem);
    const code = typeof c.code === 'string' ? c.code : '';
    const cp = typeof c.cursor_pos === 'number' ? Math.max(0, Math.min(c.cursor_pos, [...code].length)) : [...code].length;
    // The type (language service) and a preview of the runtime value under the cursor, asked
    // at the same time: the two round trips overlap.
    const pos = codePointToUtf16(code, cp);
    const after = /^[\w$]*/.exec(code.slice(pos))?.[0] ?? '';
    const expr = tokenBefore(code, pos).text + after;
    const [r, preview] = await Promise.all([d.lang ? d.lang.inspect(code, cp, Number(c.detail_level ?? 0)) : { found: false, data: {} }, expr && !expr.endsWith('.') ? d.runtime.preview(expr) : null]);
    if (preview !== null) {
      const data = { ...r.data };
      data['text/plain'] = `${data['text/plain'] ? data['text/plain'] + '\n\n' : ''}Value: ${preview}`;
      if (data['text/markdown'] !== undefined || !r.found) data['text/markdown'] = `${data['text/markdown'] ? data['text/markdown'] + '\n\n' : ''}**Value:**\n\`\`\`\n${preview}\n\`\`\``;
      return { status: 'ok', found: true, data, metadata: {} };
    }
    return { status: 'ok', found: r.found, data: r.data, metadata: {} };
  });

  core.on('is_complete_request', async (msg) => {
    const problem = checkOptionalCode(msg.content);
    if (problem) return badRequest('is_complete_request', problem);
    const code = typeof msg.content.code === 'string' ? msg.content.code : '';
    if (!d.lang) return { status: 'unknown' };
    const r = await d.lang.isComplete(code);
    return r.status === 'incomplete' ? { status: 'incomplete', indent: r.indent ?? '' } : { status: r.status };
  });

  core.on('history_request', async (msg) => ({ status: 'ok', history: d.history.query(readHistoryRequest(msg.content)) }));

  core.on('comm_info_request', async (msg) => {
    const target = msg.content.target_name;
    const comms = await d.runtime.commInfo(typeof target === 'string' ? target : undefined);
    return { status: 'ok', comms };
  });

  const commForward = (type: 'comm_open' | 'comm_msg' | 'comm_close') => async (msg: Message) => {
    const c = msg.content;
    if (typeof c.comm_id !== 'string') return undefined;
    const id = d.executor.bindRequest(msg);
    if (type === 'comm_open') d.runtime.send({ type, comm_id: c.comm_id, target_name: String(c.target_name ?? ''), data: c.data ?? {}, metadata: c.metadata ?? {}, cell: id });
    else if (type === 'comm_msg') d.runtime.send({ type, comm_id: c.comm_id, data: c.data ?? {}, metadata: c.metadata ?? {}, cell: id });
    else d.runtime.send({ type, comm_id: c.comm_id, data: c.data ?? {}, cell: id });
    return undefined; // comm messages have no reply
  };
  core.on('comm_open', commForward('comm_open'), { queued: true });
  core.on('comm_msg', commForward('comm_msg'), { queued: true });
  core.on('comm_close', commForward('comm_close'), { queued: true });

  core.on('interrupt_request', async () => {
    await d.interrupt();
    return { status: 'ok' };
  });

  core.on('shutdown_request', async (msg, channel) => {
    const restart = !!msg.content.restart;
    const content = { status: 'ok' as const, restart };
    core.messenger.replyTo(channel, msg, 'shutdown_request', content);
    core.messenger.publish(msg.header, 'shutdown_reply', content);
    core.messenger.status(msg.header, 'idle');
    await d.shutdown(restart);
    return undefined;
  });

  core.on('debug_request', async (msg) => {
    const req = msg.content;
    const seq = typeof req.seq === 'number' ? req.seq : 0;
    const command = typeof req.command === 'string' ? req.command : '';
    const dbg = d.debugger();
    if (!dbg) {
      const r: DapResponse = { seq: 0, type: 'response', request_seq: seq, command, success: false, message: 'the debugger is not available in this kernel', body: {} };
      return r;
    }
    return dbg.handleRequest({ seq, type: 'request', command, arguments: req.arguments });
  });
}
