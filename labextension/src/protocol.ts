// Shapes of tskernel's custom debug requests (the kernel's attach/attach.schema.json) as the panel uses them,
// and a small client that sends them as Jupyter debug_request messages on the control channel.

import type { KernelMessage } from '@jupyterlab/services';

// The request/reply shapes are the kernel's own, type-only (nothing of the kernel is bundled): the
// attach requests' types (tskernel's attach/requests.ts) under the names the panel uses, and the
// debugger's command map (debugger/protocol.ts), which types every request this client sends.
import type {
  AttachedTargetInfo as AttachedTarget,
  AttachTargetArguments,
  AttachTargetBody,
  DiscoveredAgent as AgentInfo,
  DiscoveredInspector as InspectorInfo,
  ListenArguments,
  ListenBody,
  ListTargetsArguments,
  ListTargetsBody,
  NodeProcessInfo as ProcessInfo,
} from 'tskernel/dist/attach/requests';
import type { DapBody, DapCommands, DebugInfoBody } from 'tskernel/dist/debugger/protocol';

export type { AgentInfo, AttachedTarget, AttachTargetArguments, AttachTargetBody, DebugInfoBody, InspectorInfo, ListenArguments, ListenBody, ListTargetsArguments, ListTargetsBody, ProcessInfo };

export type ThreadsBody = DapBody<'threads'>;

/** The requests the panel sends: command -> [arguments, reply body], as the kernel's handlers are typed. */
type Requests = Pick<DapCommands, 'listen' | 'listTargets' | 'attachTarget' | 'detachTarget' | 'threads' | 'debugInfo'>;

/**
 * The part of a kernel connection the extension uses. A Kernel.IKernelConnection is one; the
 * model's tests pass a fake.
 */
export interface IDebugKernel {
  readonly isDisposed: boolean;
  /** The kernel_info reply (`implementation` tells tskernel from other kernels). */
  readonly info: Promise<{ implementation: string }>;
  requestDebug(content: KernelMessage.IDebugRequestMsg['content']): { readonly done: Promise<{ readonly content: KernelMessage.IDebugReplyMsg['content'] }> };
}

/** A failed request: the kernel's message (success: false). */
export class RequestError extends Error {}

// High, so our seq numbers never look like the debugger session's own (they are only labels:
// replies are matched by the Jupyter parent header).
let seq = 1_000_000;

/** Sends one DAP request to the kernel (debug_request) and returns the reply's body. */
export async function request<K extends keyof Requests>(kernel: IDebugKernel, command: K, args: Requests[K][0]): Promise<Requests[K][1]> {
  const content: KernelMessage.IDebugRequestMsg['content'] = { type: 'request', seq: seq++, command, arguments: args };
  const reply = await kernel.requestDebug(content).done;
  const c = reply.content;
  if (!c.success) throw new RequestError(c.message || `${command} failed`);
  // The reply body is untyped on the wire; Requests says what each command answers.
  const body: Requests[K][1] = c.body ?? {};
  return body;
}

/** True for addresses that stay on this machine. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** "9229", ":9229", "host:9229", "[::1]:9229" -> {host?, port}; undefined when not a port. */
export function parseHostPort(text: string): { host?: string; port: number } | undefined {
  const t = text.trim();
  const m = /^(?:(\[[^\]]+\]|[^:\s]*):)?(\d{1,5})$/.exec(t);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  const host = m[1] ? m[1].replace(/^\[|\]$/g, '') : undefined;
  return host ? { host, port } : { port };
}
