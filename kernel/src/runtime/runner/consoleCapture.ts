// Sends what cells print to the kernel as stream output of the current cell: console.log/info/
// debug (stdout), console.warn/error (stderr) — formatted like Node but without colours and
// without Node's per-call stream bookkeeping, which made 100k console.log calls 5x slower — and
// anything written to process.stdout / process.stderr directly.

import * as util from 'node:util';
import type { RunnerChannel } from './channel';
import { currentCell } from './context';

export function captureOutput(channel: RunnerChannel): void {
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    stream.write = (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      channel.stream(currentCell(), name, text);
      const done = typeof encoding === 'function' ? encoding : cb;
      if (typeof done === 'function') process.nextTick(done);
      return true;
    };
  }

  let indent = '';
  const format = (args: unknown[]): string => {
    const text = args.length === 1 && typeof args[0] === 'string' ? args[0] : util.formatWithOptions({ colors: false }, ...args);
    return indent ? text.replace(/^/gm, indent) + '\n' : text + '\n';
  };
  const out = (...args: unknown[]): void => channel.stream(currentCell(), 'stdout', format(args));
  const err = (...args: unknown[]): void => channel.stream(currentCell(), 'stderr', format(args));
  const c = console as unknown as Record<string, unknown>;
  c.log = out;
  c.info = out;
  c.debug = out;
  c.warn = err;
  c.error = err;
  c.group = (...label: unknown[]): void => {
    if (label.length) out(...label);
    indent += '  ';
  };
  c.groupCollapsed = c.group;
  c.groupEnd = (): void => {
    indent = indent.slice(2);
  };
}
