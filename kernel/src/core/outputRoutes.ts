// Output routing: which request each execution id (a cell, or a comm message forwarded to the
// runner) belongs to, so output that arrives later — from timers, promises, attached processes —
// is parented to the request that caused it. The executor opens a route per execution; the output
// sink and the debugger wiring look routes up. Nothing else holds this map.

import type { Header, Message } from '../wire/messages';

/** Old routes are forgotten beyond this many (output of a cell that old goes unparented). */
const MAX_ROUTES = 2000;
/** Distinct header strings kept once (clients rarely use more than a few). */
const MAX_INTERNED = 64;
/** Shared by every route: never written to (a route is only read for its identities and header). */
const EMPTY: Record<string, never> = Object.freeze({});
const NO_BUFFERS: Buffer[] = [];

export class OutputRoutes {
  private nextId = 1;
  private readonly requests = new Map<number, Message>();
  private latestExecute: Message | undefined;
  private readonly strings = new Map<string, string>();
  private lastIdentities: Buffer[] | undefined;

  /** A fresh execution id routed to `request`. */
  open(request: Message): number {
    const id = this.nextId++;
    // What routing needs (who asked, for stdin; the header, for parenting), not the code or buffers:
    // a route is kept for thousands of cells. What repeats from request to request (the client's
    // identity, session, user name, protocol version, message type) is kept once, not per route.
    const h = request.header;
    const header: Header = { ...h, session: this.intern(h.session), username: this.intern(h.username), msg_type: this.intern(h.msg_type), version: this.intern(h.version) };
    const route: Message = { identities: this.sameIdentities(request.identities), header, parent_header: EMPTY, metadata: EMPTY, content: EMPTY, buffers: NO_BUFFERS };
    this.requests.set(id, route);
    if (request.header.msg_type === 'execute_request') this.latestExecute = route;
    if (this.requests.size > MAX_ROUTES) {
      const oldest = this.requests.keys().next();
      if (!oldest.done) this.requests.delete(oldest.value);
    }
    return id;
  }

  private intern(text: string): string {
    const kept = this.strings.get(text);
    if (kept !== undefined) return kept;
    if (this.strings.size >= MAX_INTERNED) this.strings.clear();
    this.strings.set(text, text);
    return text;
  }

  /** The previous route's identities when they are the same bytes (one client sends them all). */
  private sameIdentities(ids: Buffer[]): Buffer[] {
    const last = this.lastIdentities;
    if (last && last.length === ids.length && last.every((b, i) => b.equals(ids[i]))) return last;
    return (this.lastIdentities = ids);
  }

  /** The header output of execution `id` is parented to (undefined: unknown or forgotten). */
  parent(id: number): Header | undefined {
    return this.requests.get(id)?.header;
  }

  request(id: number): Message | undefined {
    return this.requests.get(id);
  }

  /** The latest execute_request: where output of attached processes is shown. */
  latest(): Message | undefined {
    return this.latestExecute;
  }
}
