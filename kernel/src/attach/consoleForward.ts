// Console output of a by-port target (a plain `--inspect` process has no agent to forward its
// stdout): our inspector session enables Runtime, and each Runtime.consoleAPICalled becomes a
// line of stdout/stderr text, formatted like Node's console, under the agent link's output rate
// limit (DEFAULT_LINK_LIMITS, OutputLimiter). Runtime.enable first replays the console messages
// the process logged before we came, all before its reply: those are skipped, since an agent too
// forwards only what is written after it attached. Everything in the events is untrusted.

import type { Protocol } from 'devtools-protocol';
import type { ITransport } from '../targets/transport';
import { DEFAULT_LINK_LIMITS, type TargetOutput } from '../targets/agentLink';
import { OutputLimiter } from '../targets/outputLimiter';

/** Request id of our Runtime.enable: far above anything CdpClient (counting from 1) will use, but an int32 (V8 rejects larger ids). */
const ENABLE_ID = 2 ** 31 - 9;
const MAX_ARGS = 64;
const MAX_PREVIEW_PROPS = 16;
const STDERR_TYPES = new Set(['error', 'warning', 'assert', 'trace']);
const SILENT_TYPES = new Set(['endGroup', 'clear', 'profile', 'profileEnd']);

type RemoteObject = Protocol.Runtime.RemoteObject;

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown, max = 4096): string {
  return typeof v === 'string' ? v.slice(0, max) : '';
}

function previewValue(p: Record<string, unknown>): string {
  const value = str(p.value, 200);
  if (p.type === 'string') return `'${value}'`;
  if (p.type === 'object' && p.subtype !== 'null') return value || 'Object';
  return value;
}

function formatPreview(preview: Record<string, unknown>, fallback: string): string {
  const props = Array.isArray(preview.properties)
    ? preview.properties
        .slice(0, MAX_PREVIEW_PROPS)
        .map(obj)
        .filter((p): p is Record<string, unknown> => !!p)
    : [];
  const more = preview.overflow === true ? ', …' : '';
  if (preview.subtype === 'array') return `[ ${props.map(previewValue).join(', ')}${more} ]`;
  if (preview.subtype && preview.subtype !== 'null') return fallback;
  const body = props.map((p) => `${str(p.name, 200)}: ${previewValue(p)}`).join(', ');
  const name = str(preview.description, 200);
  const prefix = name && name !== 'Object' ? `${name} ` : '';
  return body ? `${prefix}{ ${body}${more} }` : `${prefix}{}`;
}

/** One console argument as Node's console prints it (strings raw, objects from their preview). */
export function formatArg(raw: unknown): string {
  const o = obj(raw) as Partial<RemoteObject> | undefined;
  if (!o) return '';
  switch (o.type) {
    case 'string':
      return str(o.value, 1 << 20);
    case 'undefined':
      return 'undefined';
    case 'number':
    case 'boolean':
    case 'bigint':
      return str(o.unserializableValue) || (o.value !== undefined ? String(o.value) : str(o.description));
    case 'object':
      if (o.subtype === 'null') return 'null';
      if (obj(o.preview)) return formatPreview(obj(o.preview)!, str(o.description) || 'Object');
      return str(o.description) || 'Object';
    default:
      return str(o.description) || String(o.type ?? '');
  }
}

/** `console.log('%s=%d', a, b)`-style substitution, then the remaining arguments space-separated. */
export function formatConsoleArgs(args: readonly unknown[]): string {
  const list = args.slice(0, MAX_ARGS);
  const first = obj(list[0]);
  let rest = list;
  let head = '';
  if (first?.type === 'string' && typeof first.value === 'string' && first.value.includes('%')) {
    let i = 1;
    head = first.value.replace(/%([sdifjoOc%])/g, (m, k: string) => {
      if (k === '%') return '%';
      if (i >= list.length) return m;
      const a = list[i++];
      if (k === 'c') return '';
      const o = obj(a);
      if ((k === 'd' || k === 'i') && o?.type === 'number') return String(k === 'i' ? Math.trunc(Number(o.value)) : o.value);
      return formatArg(a);
    });
    rest = list.slice(i);
  } else if (list.length) {
    head = formatArg(list[0]);
    rest = list.slice(1);
  }
  return [head, ...rest.map(formatArg)].join(' ');
}

/**
 * Forwards the target's console output on `transport` (an inspector WebSocket) to the listeners;
 * sends Runtime.enable itself, outside the CdpClient's numbering, so the replay can be told apart.
 */
export class ConsoleForwarder {
  private readonly listeners: ((o: TargetOutput) => void)[] = [];
  private readonly limiter = new OutputLimiter(DEFAULT_LINK_LIMITS.maxOutputBytesPerSecond);
  private live = false;

  constructor(transport: ITransport) {
    transport.onMessage((m) => this.onMessage(m));
    transport.send({ id: ENABLE_ID, method: 'Runtime.enable', params: {} });
  }

  /** Output bytes dropped by the rate limit so far. */
  get droppedOutput(): number {
    return this.limiter.dropped;
  }

  onOutput(listener: (output: TargetOutput) => void): void {
    this.listeners.push(listener);
  }

  private onMessage(m: unknown): void {
    const msg = obj(m);
    if (!msg) return;
    if (msg.id === ENABLE_ID) {
      this.live = true;
      return;
    }
    if (!this.live || msg.method !== 'Runtime.consoleAPICalled') return;
    const p = obj(msg.params);
    const type = str(p?.type, 32);
    if (!p || !type || SILENT_TYPES.has(type) || !Array.isArray(p.args)) return;
    const text = this.limiter.admit(`${formatConsoleArgs(p.args)}\n`);
    if (text === undefined) return;
    const output: TargetOutput = { stream: STDERR_TYPES.has(type) ? 'stderr' : 'stdout', text };
    for (const l of this.listeners) l(output);
  }
}
