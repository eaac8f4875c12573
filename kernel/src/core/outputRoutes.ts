// Output routing: which request each execution id (a cell, or a comm message forwarded to the
// runner) belongs to, so output that arrives later — from timers, promises, attached processes —
// is parented to the request that caused it. The executor opens a route per execution; the output
// sink and the debugger wiring look routes up. Nothing else holds this map.

import type { Header, Message } from '../wire/messages';

/** Old routes are forgotten beyond this many (output of a cell that old goes unparented). */
const MAX_ROUTES = 2000;

export class OutputRoutes {
  private nextId = 1;
  private readonly requests = new Map<number, Message>();
  private latestExecute: Message | undefined;

  /** A fresh execution id routed to `request`. */
  open(request: Message): number {
    const id = this.nextId++;
    // What routing needs (who asked, for stdin; the header, for parenting), not the code or buffers:
    // a route is kept for thousands of cells.
    const route: Message = { identities: request.identities, header: request.header, parent_header: {}, metadata: {}, content: {}, buffers: [] };
    this.requests.set(id, route);
    if (request.header.msg_type === 'execute_request') this.latestExecute = route;
    if (this.requests.size > MAX_ROUTES) {
      const oldest = this.requests.keys().next();
      if (!oldest.done) this.requests.delete(oldest.value);
    }
    return id;
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
