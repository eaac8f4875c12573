// A stubbed CDP target for the debugger (in the style of vscode-js-debug's stubbed API): the far
// end of the runner's CDP link, speaking the agent link's framing, answering each CDP method from
// a table the test can override, recording every call, and emitting events (scriptParsed,
// paused, resumed) when the test says so. The debugger under test sees an ordinary runner link.

import { Duplex } from 'node:stream';
import { encodeFrame, FrameDecoder } from '../../../kernel/src/link/framing';

export interface CdpCall {
  method: string;
  params: Record<string, unknown>;
}

/** A CDP method's stubbed behaviour: its result, or a thrown `CdpFailure` for an error response. */
export type CdpStub = (params: Record<string, unknown>, call: number) => unknown;

export class CdpFailure extends Error {
  constructor(
    message: string,
    readonly code = -32000,
  ) {
    super(message);
  }
}

/** Two connected in-memory byte streams (what the runner's fd-4 pipe is for the kernel). */
function duplexPair(): [Duplex, Duplex] {
  const make = (other: () => Duplex) =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        other().push(chunk);
        cb();
      },
      final(cb) {
        other().push(null);
        cb();
      },
    });
  // Each end writes into the other; the closures run only once data flows, after both exist.
  const a: Duplex = make(() => b);
  const b: Duplex = make(() => a);
  return [a, b];
}

let bpCounter = 0;

const DEFAULTS: Record<string, CdpStub> = {
  'Debugger.enable': () => ({ debuggerId: 'stub-debugger' }),
  'Debugger.setBreakpointByUrl': () => ({ breakpointId: `stub-bp-${++bpCounter}`, locations: [] as unknown[] }),
  'Debugger.getPossibleBreakpoints': () => ({ locations: [] }),
  'Debugger.setInstrumentationBreakpoint': () => ({ breakpointId: 'stub-instrumentation' }),
  'Runtime.evaluate': () => ({ result: { type: 'undefined' } }),
  'Runtime.callFunctionOn': () => ({ result: { type: 'undefined' } }),
  'Runtime.getProperties': () => ({ result: [] }),
  'Runtime.globalLexicalScopeNames': () => ({ names: [] }),
};

export class StubCdp {
  /** The kernel's end of the link: hand it to the debugger as the runner's CDP stream. */
  readonly kernelEnd: Duplex;
  private readonly far: Duplex;
  readonly calls: CdpCall[] = [];
  private readonly stubs = new Map<string, CdpStub>(Object.entries(DEFAULTS));
  private readonly counts = new Map<string, number>();
  private waiters: Array<{ method: string; resolve: (c: CdpCall) => void }> = [];

  constructor() {
    [this.kernelEnd, this.far] = duplexPair();
    const decoder = new FrameDecoder();
    this.far.on('data', (chunk: Buffer) => {
      for (const m of decoder.push(chunk)) void this.answer(m);
    });
  }

  /** Replaces a method's behaviour (any method without a stub answers `{}`). */
  on(method: string, stub: CdpStub): this {
    this.stubs.set(method, stub);
    return this;
  }

  /** Sends an event to the debugger. */
  emit(method: string, params: unknown = {}): void {
    this.far.write(encodeFrame({ method, params }));
  }

  /** The agent's greeting (the debugger attaches without its 2 s grace period). */
  hello(): void {
    this.emit('Agent.hello', { hiddenPaths: [] });
  }

  called(method: string): CdpCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The next call of `method` (or the first one already made and not yet awaited). */
  nextCall(method: string, ms = 2000): Promise<CdpCall> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} call within ${ms} ms`)), ms);
      this.waiters.push({ method, resolve: (c) => (clearTimeout(timer), resolve(c)) });
    });
  }

  close(): void {
    this.far.destroy();
    this.kernelEnd.destroy();
  }

  private async answer(raw: unknown): Promise<void> {
    if (typeof raw !== 'object' || raw === null || !('id' in raw) || !('method' in raw)) return;
    const id = Number(raw.id);
    const method = String(raw.method);
    const params = 'params' in raw && typeof raw.params === 'object' && raw.params !== null ? { ...raw.params } : {};
    const call = { method, params };
    this.calls.push(call);
    const n = (this.counts.get(method) ?? 0) + 1;
    this.counts.set(method, n);
    for (const w of this.waiters.filter((x) => x.method === method)) w.resolve(call);
    this.waiters = this.waiters.filter((x) => x.method !== method);
    const stub = this.stubs.get(method);
    try {
      const result = stub ? await stub(params, n) : {};
      this.far.write(encodeFrame({ id, result: result ?? {} }));
    } catch (e) {
      const code = e instanceof CdpFailure ? e.code : -32603;
      this.far.write(encodeFrame({ id, error: { code, message: e instanceof Error ? e.message : String(e) } }));
    }
  }
}
