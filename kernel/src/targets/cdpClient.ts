// Typed CDP client over an ITransport: `send('Debugger.setBreakpointByUrl', {...})` is checked
// against devtools-protocol's ProtocolMapping, and so are event listeners. Errors carry the CDP
// code, the method and the caller's stack (the error is created at send time).

import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping';
import { logger } from '../common/log';
import type { NodeCommands, NodeEvents } from './nodeProtocol';
import type { ITransport } from './transport';

const log = logger('cdp');

export type CdpCommands = ProtocolMapping.Commands & NodeCommands;
export type CdpEvents = ProtocolMapping.Events & NodeEvents;
export type CdpMethod = keyof CdpCommands;
export type CdpParams<M extends CdpMethod> = CdpCommands[M]['paramsType'];
export type CdpResult<M extends CdpMethod> = CdpCommands[M]['returnType'];

export class CdpError extends Error {
  code = 0;
  constructor(readonly method: string) {
    super(method);
    this.name = 'CdpError';
  }
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  error: CdpError;
}

type Listener = (...args: never[]) => void;

export class CdpClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly closeListeners: (() => void)[] = [];
  private closed = false;

  constructor(private readonly transport: ITransport) {
    transport.onMessage((m) => this.dispatch(m));
    transport.onClose(() => this.onTransportClosed());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send<M extends CdpMethod>(method: M, ...params: CdpParams<M>): Promise<CdpResult<M>> {
    const error = new CdpError(method);
    if (this.closed) {
      error.message = `${method}: the target is gone`;
      return Promise.reject(error);
    }
    const id = this.nextId++;
    return new Promise<CdpResult<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve, reject, error });
      log.debug(`-> ${id} ${method}`);
      this.transport.send({ id, method, params: params[0] ?? {} });
    });
  }

  on<E extends keyof CdpEvents>(event: E, listener: (...args: CdpEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  /** Listener for non-CDP messages on the link (e.g. `Agent.hello`). */
  onAny(listener: (method: string, params: unknown) => void): void {
    let set = this.listeners.get('*');
    if (!set) this.listeners.set('*', (set = new Set()));
    set.add(listener);
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  close(): void {
    this.transport.close();
  }

  private dispatch(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null) return;
    const msg = raw as { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } };
    if (typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) {
        p.error.code = typeof msg.error.code === 'number' ? msg.error.code : 0;
        p.error.message = `${p.error.method}: ${typeof msg.error.message === 'string' ? msg.error.message : 'failed'}`;
        p.reject(p.error);
      } else p.resolve(msg.result ?? {});
      return;
    }
    if (typeof msg.method !== 'string') return;
    const set = this.listeners.get(msg.method);
    if (set) for (const l of [...set]) this.safeCall(l, msg.method, msg.params);
    const any = this.listeners.get('*');
    if (any) for (const l of [...any]) (l as unknown as (m: string, p: unknown) => void)(msg.method, msg.params);
  }

  private safeCall(listener: Listener, method: string, params: unknown): void {
    try {
      (listener as (p: unknown) => void)(params);
    } catch (e) {
      log.error(`listener for ${method} threw`, e);
    }
  }

  private onTransportClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const [, p] of this.pending) {
      p.error.message = `${p.error.method}: the target is gone`;
      p.reject(p.error);
    }
    this.pending.clear();
    for (const l of this.closeListeners.splice(0)) l();
  }
}
