// Turns thrown values into Jupyter error content: ename, evalue, and a traceback that names cells
// as "Cell [n]" with their line:column as written (through the source map each generated cell
// carries: the REPL wrapper and the TypeScript transform move code), shows the failing cell line
// with a caret, and hides the kernel's and Node's internal frames, the runner's dependencies and
// the notebook resolver's made-up file name. V8 syntax errors in a cell get the same treatment.
// The same cleaning applies to errors shown as values (cleanInspected).

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CellPositions, type Position1 } from '../../lang/transpile/cellMap';
import { inspectPlain } from './format';
import { ownDependencyDirs } from './ownDependencies';
import type { ErrorInfo } from '../protocol';

interface CellEntry {
  label: string;
  source: string;
  positions: CellPositions;
}

/** Cell path -> what is needed to name and map it, for every cell this runner has run. */
const cells = new Map<string, CellEntry>();
const KERNEL_DIR = path.resolve(__dirname, '..', '..');
/** The file name the notebook's resolvers pretend to import from (imports.ts). */
const NOTEBOOK_STANDIN = /(\/[^\s'"()]*?)\/__tskernel_notebook__\.m?js/g;

export function rememberCell(filename: string, label: string, source: string, code = source): void {
  cells.set(filename, { label, source, positions: CellPositions.of(code) });
}

export function cellLabel(filename: string): string | undefined {
  return cells.get(filename)?.label;
}

let hiddenDirs: string[] | undefined;
/** The kernel's own code and the runner's dependencies, as paths and as file:// URLs. */
function internalDirs(): string[] {
  if (hiddenDirs) return hiddenDirs;
  const dirs = [KERNEL_DIR, ...ownDependencyDirs()];
  hiddenDirs = [...dirs, ...dirs.map((d) => pathToFileURL(d).href)];
  return hiddenDirs;
}

const FRAME = /^\s+at /;
const CELL_POS = /(?:file:\/\/)?(\/[^\s():]+)(?::(\d+)(?::(\d+))?)?/g;

/** A cell position as written, or undefined for code the transform added (TypeScript helpers). */
function mapped(cell: CellEntry, line: number, column: number | undefined): Position1 | undefined {
  return cell.positions.original({ line, column: column ?? 1 });
}

function isInternalFrame(line: string): boolean {
  if (line.includes('node:internal') || line.includes(' (node:') || /\bat node:/.test(line) || /\bat (new )?Script\.runInThisContext/.test(line)) return true;
  if (internalDirs().some((d) => line.includes(d))) return true;
  // A frame in code the TypeScript transform added to a cell (decorator and `using` helpers).
  const m = /((?:file:\/\/)?\/[^\s():]+):(\d+):(\d+)\)?\s*$/.exec(line);
  const cell = m && cells.get(m[1].replace(/^file:\/\//, ''));
  return !!cell && !!m && !mapped(cell, Number(m[2]), Number(m[3]));
}

/** Replaces cell paths (plain or file:// URLs, with :line:col) by their labels and positions as written. */
export function labelCells(text: string): string {
  const named = text.replace(NOTEBOOK_STANDIN, (_m, dir: string) => `the notebook folder ${dir}`);
  if (cells.size === 0) return named;
  return named.replace(CELL_POS, (m, p: string, line?: string, col?: string) => {
    const cell = cells.get(p);
    if (!cell) return m;
    if (!line) return cell.label;
    const pos = mapped(cell, Number(line), col === undefined ? undefined : Number(col));
    if (!pos) return cell.label;
    return col === undefined ? `${cell.label}:${pos.line}` : `${cell.label}:${pos.line}:${pos.column}`;
  });
}

function caretLines(cell: CellEntry, pos: Position1): string[] {
  const text = cell.source.split(/\r?\n/)[pos.line - 1];
  if (text === undefined) return [];
  const gutter = String(pos.line);
  return [`${cell.label}, line ${pos.line}:${pos.column}:`, `${gutter} | ${text}`, `${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, pos.column - 1))}^`];
}

function caret(frameLine: string): string[] {
  const m = /\(?((?:file:\/\/)?\/[^\s():]+):(\d+):(\d+)\)?\s*$/.exec(frameLine);
  if (!m) return [];
  const cell = cells.get(m[1].replace(/^file:\/\//, ''));
  const pos = cell && mapped(cell, Number(m[2]), Number(m[3]));
  return cell && pos ? caretLines(cell, pos) : [];
}

/**
 * A SyntaxError V8 raised compiling a cell: its stack starts with "<cell path>:<line>", the
 * generated line and a caret. Shown as the kernel shows its own syntax errors, on the cell's line.
 */
function cellSyntaxError(err: Error): ErrorInfo | undefined {
  const m = /^((?:file:\/\/)?\/[^\n]*?):(\d+)\n([^\n]*)\n( *)\^/.exec(err.stack ?? '');
  const cell = m && cells.get(m[1].replace(/^file:\/\//, ''));
  if (!m || !cell) return undefined;
  const pos = mapped(cell, Number(m[2]), m[4].length + 1) ?? { line: Number(m[2]), column: m[4].length + 1 };
  const evalue = err.message;
  return { ename: 'SyntaxError', evalue, traceback: [`SyntaxError: ${evalue}`, ...caretLines(cell, pos)] };
}

/** Friendlier text for errors whose wording names the kernel's internals (`raw`: before cleaning). */
function explain(message: string, raw: string): string {
  const esm = /^Cannot find (?:package|module) '([^']+)' imported from the notebook folder (\S+)/.exec(message);
  // CommonJS: "Cannot find module 'x'" with the stand-in file in its (dropped) require stack.
  const cjs = !esm && /^Cannot find module '([^']+)'/.exec(message);
  const cjsDir = cjs && /- (\/[^\n]*?)\/__tskernel_notebook__\.js\s*$/m.exec(raw)?.[1];
  const spec = esm ? esm[1] : cjsDir && cjs ? cjs[1] : undefined;
  const dir = esm ? esm[2] : cjsDir;
  if (!spec || !dir || /^[./]|^node:/.test(spec)) return message;
  const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  const why = name === 'react' ? ' (JSX compiles to react/jsx-runtime; set /** @jsxImportSource other */ for another runtime)' : '';
  return `${message.trimEnd()}: run \`npm install ${name}\` in ${dir}${why}`;
}

/** Error text of any kind (a traceback's head, an inspected value) without the kernel's internals. */
export function cleanInspected(text: string): string {
  const out: string[] = [];
  let droppingRequireStack = false;
  for (const line of text.split('\n')) {
    if (FRAME.test(line) && isInternalFrame(line)) continue;
    // CommonJS "Require stack:" lists the notebook's stand-in file: drop that list.
    if (/^\s*Require stack:\s*$/.test(line)) {
      droppingRequireStack = true;
      continue;
    }
    if (droppingRequireStack && /^\s*- /.test(line)) continue;
    droppingRequireStack = false;
    out.push(labelCells(line));
  }
  // AsyncLocalStorage marks promises created by a cell; the mark means nothing to the user.
  return out.join('\n').replace(/,?\s*\[Symbol\(kResourceStore\)\]: [^,}\n]*/g, '');
}

export function formatError(err: unknown): ErrorInfo {
  if (!(err instanceof Error)) {
    const evalue = inspectPlain(err);
    return { ename: 'Uncaught', evalue, traceback: [`Uncaught ${evalue}`] };
  }
  if (err.name === 'SyntaxError') {
    const syntax = cellSyntaxError(err);
    if (syntax) return syntax;
  }
  const ename = err.name || err.constructor?.name || 'Error';
  const evalue = explain(cleanInspected(err.message ?? ''), err.message ?? '');
  const stack = typeof err.stack === 'string' ? err.stack : `${ename}: ${evalue}`;
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex((l) => FRAME.test(l));
  const rawHead = (firstFrame < 0 ? lines : lines.slice(0, firstFrame)).join('\n');
  // The usual head is "<name>: <message>": show the explained message there.
  const standard = `${ename}: ${err.message}`;
  const head = rawHead.startsWith(standard) ? `${ename}: ${evalue}${cleanInspected(rawHead.slice(standard.length))}` : cleanInspected(rawHead);
  const frames = firstFrame < 0 ? [] : lines.slice(firstFrame).filter((l) => FRAME.test(l) && !isInternalFrame(l));
  const where = frames.length ? caret(frames[0]) : [];
  const traceback = [...head.split('\n'), ...frames.map(labelCells)];
  if (where.length) traceback.push('', ...where);
  return { ename, evalue, traceback };
}

export function interruptedError(): ErrorInfo {
  return { ename: 'KeyboardInterrupt', evalue: 'Execution interrupted', traceback: ['KeyboardInterrupt: Execution interrupted'] };
}
