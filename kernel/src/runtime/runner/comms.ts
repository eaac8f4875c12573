// The comm API for cells (the `comms` global): register targets the frontend can open, open
// comms from the kernel side, send and receive messages, close. Mirrors ipykernel's Comm.

import { randomUUID } from 'node:crypto';
import { currentCell, getChannel } from './context';

type MsgHandler = (data: unknown, metadata: unknown) => void;

export class Comm {
  private msgHandlers: MsgHandler[] = [];
  private closeHandlers: MsgHandler[] = [];
  closed = false;

  constructor(
    readonly id: string,
    readonly targetName: string,
  ) {}

  send(data: unknown = {}, metadata: unknown = {}): void {
    if (this.closed) throw new Error(`comm ${this.id} is closed`);
    getChannel().send({ type: 'comm_msg', cell: currentCell(), comm_id: this.id, data, metadata });
  }

  close(data: unknown = {}): void {
    if (this.closed) return;
    this.closed = true;
    open.delete(this.id);
    getChannel().send({ type: 'comm_close', cell: currentCell(), comm_id: this.id, data });
  }

  onMsg(cb: MsgHandler): this {
    this.msgHandlers.push(cb);
    return this;
  }

  onClose(cb: MsgHandler): this {
    this.closeHandlers.push(cb);
    return this;
  }

  /** @internal */ deliver(data: unknown, metadata: unknown): void {
    for (const h of this.msgHandlers) h(data, metadata);
  }

  /** @internal */ closedByFrontend(data: unknown): void {
    this.closed = true;
    open.delete(this.id);
    for (const h of this.closeHandlers) h(data, {});
  }
}

type TargetHandler = (comm: Comm, data: unknown, metadata: unknown) => void;
const targets = new Map<string, TargetHandler>();
const open = new Map<string, Comm>();

export const comms = {
  registerTarget(name: string, handler: TargetHandler): void {
    targets.set(name, handler);
  },
  unregisterTarget(name: string): void {
    targets.delete(name);
  },
  open(targetName: string, data: unknown = {}, metadata: unknown = {}): Comm {
    const comm = new Comm(randomUUID(), targetName);
    open.set(comm.id, comm);
    getChannel().send({ type: 'comm_open', cell: currentCell(), comm_id: comm.id, target_name: targetName, data, metadata });
    return comm;
  },
  list(): Comm[] {
    return [...open.values()];
  },
};

/** The frontend opened a comm; returns false when no target is registered (the kernel closes it). */
export function frontendOpened(id: string, targetName: string, data: unknown, metadata: unknown): boolean {
  const handler = targets.get(targetName);
  if (!handler) return false;
  const comm = new Comm(id, targetName);
  open.set(id, comm);
  handler(comm, data, metadata);
  return true;
}

export function frontendMessage(id: string, data: unknown, metadata: unknown): void {
  open.get(id)?.deliver(data, metadata);
}

export function frontendClosed(id: string, data: unknown): void {
  open.get(id)?.closedByFrontend(data);
}

export function openComms(targetName?: string): Record<string, { target_name: string }> {
  const out: Record<string, { target_name: string }> = {};
  for (const c of open.values()) if (!targetName || c.targetName === targetName) out[c.id] = { target_name: c.targetName };
  return out;
}
