// Synchronous stdin for cells: `prompt(text)` and `input(text, {password})` send an input_request
// through the kernel and block on a dedicated pipe (fd 5) until the frontend's input_reply comes
// back — like Python's input(). `input` also works with `await`.

import * as fs from 'node:fs';
import { RUNNER_STDIN_FD } from '../protocol';
import { currentCell, getChannel } from './context';

const sleeper = new Int32Array(new SharedArrayBuffer(4));
let carry = '';

function readLineSync(): string {
  const buf = Buffer.alloc(64 * 1024);
  for (;;) {
    const nl = carry.indexOf('\n');
    if (nl >= 0) {
      const line = carry.slice(0, nl);
      carry = carry.slice(nl + 1);
      return line;
    }
    let n: number;
    try {
      n = fs.readSync(RUNNER_STDIN_FD, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(sleeper, 0, 0, 5);
        continue;
      }
      throw e;
    }
    if (n === 0) throw new Error('stdin closed');
    carry += buf.toString('utf8', 0, n);
  }
}

export class StdinNotAllowedError extends Error {
  constructor() {
    super('stdin is not available: this frontend does not support input requests (allow_stdin is false)');
    this.name = 'StdinNotAllowedError';
  }
}

let allowed = false;
export function setStdinAllowed(v: boolean): void {
  allowed = v;
}

export function readInput(promptText = '', password = false): string {
  if (!allowed) throw new StdinNotAllowedError();
  getChannel().send({ type: 'input_request', cell: currentCell(), prompt: String(promptText), password });
  const reply = JSON.parse(readLineSync()) as { value?: string; error?: string };
  if (reply.error !== undefined) {
    const e = new Error(reply.error);
    e.name = 'InputInterrupted';
    throw e;
  }
  return reply.value ?? '';
}

export function prompt(text?: unknown): string {
  return readInput(text === undefined ? '' : String(text), false);
}

/** Asks the user for a line of text; `await input('Name? ')` (the wait itself is synchronous). */
export function input(text?: unknown, opts: { password?: boolean } = {}): Promise<string> {
  try {
    return Promise.resolve(readInput(text === undefined ? '' : String(text), !!opts.password));
  } catch (e) {
    return Promise.reject(e);
  }
}
