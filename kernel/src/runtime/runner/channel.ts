// The runner's end of the control pipe (fd 3): reads orders line by line and writes messages to
// the kernel. Stream text is coalesced per (cell, stream) and flushed on the next turn of the
// event loop, before any other message, or when it grows large — so 100k printed lines arrive
// complete and in order as a few large messages instead of 100k small ones.

import * as fs from 'node:fs';
import * as net from 'node:net';
import { LineReader } from '../../common/lineReader';
import type { FromRunner, ToRunner } from '../protocol';

const FLUSH_BYTES = 256 * 1024;

export class RunnerChannel {
  private readonly sock: net.Socket;
  private pending: { cell: number; name: 'stdout' | 'stderr'; parts: string[]; size: number } | undefined;
  private flushScheduled = false;

  constructor(
    private readonly fd: number,
    onOrder: (order: ToRunner) => void,
    /** The kernel closed the pipe: it shut down, exited or was killed. */
    onKernelGone: () => void,
  ) {
    this.sock = new net.Socket({ fd, readable: true, writable: true });
    const lines = new LineReader((line) => onOrder(JSON.parse(line) as ToRunner));
    this.sock.setEncoding('utf8');
    this.sock.on('data', (chunk: string) => lines.push(chunk));
    // The kernel closed the pipe: the kernel is gone, so the runner goes too.
    this.sock.on('end', onKernelGone);
    this.sock.on('error', onKernelGone);
  }

  stream(cell: number, name: 'stdout' | 'stderr', text: string): void {
    if (!text) return;
    const p = this.pending;
    if (p && (p.cell !== cell || p.name !== name)) this.flush();
    if (!this.pending) this.pending = { cell, name, parts: [], size: 0 };
    this.pending.parts.push(text);
    this.pending.size += text.length;
    if (this.pending.size >= FLUSH_BYTES) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  send(msg: FromRunner): void {
    this.flush();
    this.write(msg);
  }

  /**
   * Writes synchronously, bypassing the socket's queue: used when the event loop cannot turn
   * (a cell is stuck in synchronous code) and before the process exits.
   */
  sendSync(msg: FromRunner): void {
    this.flush();
    this.writeSyncRaw(JSON.stringify(msg) + '\n');
  }

  flush(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.write({ type: 'stream', cell: p.cell, name: p.name, text: p.parts.join('') });
  }

  /** Flushes everything with blocking writes (used from process 'exit'). */
  flushSync(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.writeSyncRaw(JSON.stringify({ type: 'stream', cell: p.cell, name: p.name, text: p.parts.join('') }) + '\n');
  }

  private write(msg: FromRunner): void {
    this.sock.write(JSON.stringify(msg) + '\n');
  }

  private writeSyncRaw(line: string): void {
    // Let whatever the socket already queued go first, then write directly to the fd.
    const buf = Buffer.from(line, 'utf8');
    let off = 0;
    while (off < buf.length) {
      try {
        off += fs.writeSync(this.fd, buf, off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return;
      }
    }
  }
}
