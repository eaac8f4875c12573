// Turns thrown values into Jupyter error content: ename, evalue, and a traceback that names cells
// as "Cell [n]" with their line:column (the TypeScript positions: stripping keeps them), shows the
// failing cell line with a caret, and hides the kernel's and Node's internal frames.

import * as path from 'node:path';
import { inspectPlain } from './format';
import type { ErrorInfo } from '../protocol';

/** Cell path -> { label, source } for every cell this runner has run. */
const cells = new Map<string, { label: string; source: string }>();
const KERNEL_DIR = path.resolve(__dirname, '..', '..');

export function rememberCell(filename: string, label: string, source: string): void {
  cells.set(filename, { label, source });
}

export function cellLabel(filename: string): string | undefined {
  return cells.get(filename)?.label;
}

function isInternalFrame(line: string): boolean {
  return line.includes('node:internal') || line.includes(' (node:') || line.includes(KERNEL_DIR) || /\bat (new )?Script\.runInThisContext/.test(line);
}

/** Replaces cell paths (plain or file:// URLs) in a stack line by their labels. */
export function labelCells(text: string): string {
  if (cells.size === 0) return text;
  return text.replace(/(?:file:\/\/)?(\/[^\s():]+)(?=:\d+)/g, (m, p: string) => cells.get(p)?.label ?? m);
}

function caret(frameLine: string): string[] {
  const m = /\(?((?:file:\/\/)?\/[^\s():]+):(\d+):(\d+)\)?\s*$/.exec(frameLine);
  if (!m) return [];
  const file = m[1].replace(/^file:\/\//, '');
  const cell = cells.get(file);
  if (!cell) return [];
  const lineNo = Number(m[2]);
  const col = Number(m[3]);
  const text = cell.source.split(/\r?\n/)[lineNo - 1];
  if (text === undefined) return [];
  const gutter = String(lineNo);
  return [`${cell.label}, line ${lineNo}:${col}:`, `${gutter} | ${text}`, `${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, col - 1))}^`];
}

export function formatError(err: unknown): ErrorInfo {
  if (!(err instanceof Error)) {
    const evalue = inspectPlain(err);
    return { ename: 'Uncaught', evalue, traceback: [`Uncaught ${evalue}`] };
  }
  const ename = err.name || err.constructor?.name || 'Error';
  const evalue = err.message ?? '';
  const stack = typeof err.stack === 'string' ? err.stack : `${ename}: ${evalue}`;
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex((l) => /^\s+at /.test(l));
  const head = firstFrame < 0 ? lines : lines.slice(0, firstFrame);
  const frames = firstFrame < 0 ? [] : lines.slice(firstFrame).filter((l) => /^\s+at /.test(l) && !isInternalFrame(l));
  const where = frames.length ? caret(frames[0]) : [];
  const traceback = [...head.map(labelCells), ...frames.map(labelCells)];
  if (where.length) traceback.push('', ...where);
  return { ename, evalue, traceback };
}

export function interruptedError(): ErrorInfo {
  return { ename: 'KeyboardInterrupt', evalue: 'Execution interrupted', traceback: ['KeyboardInterrupt: Execution interrupted'] };
}
