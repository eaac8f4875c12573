// Input history persisted per user across kernel restarts (like ipykernel's history database):
// one JSON line per executed cell in $XDG_DATA_HOME/tskernel/history.jsonl, each tagged with a
// session number. Serves history_request tail / range / search. Lines are appended a moment after
// the cell (one asynchronous write per burst of cells, at most every FLUSH_MS), not on its path; what is still pending
// when the process exits is written synchronously then. Memory keeps the last MAX_ENTRIES entries.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { logger } from '../common/log';

const log = logger('core');

interface Entry {
  s: number; // session
  l: number; // line (execution count)
  i: string; // input
  o?: string; // output (text/plain), when recorded
}

export interface HistoryRequest {
  output?: boolean;
  raw?: boolean;
  /** 'range' | 'tail' | 'search'; any other value gets no rows (as in ipykernel). */
  hist_access_type?: string;
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

/**
 * history_request content (untrusted) as a HistoryRequest, without a cast: numbers read the way
 * Number() reads them (clients send "10" too), null the same as missing, flags by truthiness, a
 * pattern that is not a string ignored.
 */
export function readHistoryRequest(c: Record<string, unknown>): HistoryRequest {
  const num = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : Number(v));
  return {
    output: Boolean(c.output),
    raw: Boolean(c.raw),
    hist_access_type: typeof c.hist_access_type === 'string' ? c.hist_access_type : undefined,
    session: num(c.session),
    start: num(c.start),
    stop: num(c.stop),
    n: num(c.n),
    pattern: typeof c.pattern === 'string' ? c.pattern : undefined,
    unique: Boolean(c.unique),
  };
}

type Row = [number, number, string] | [number, number, [string, string | null]];

const MAX_ENTRIES = 10000;
/** Cells are appended to the file at most this often (one write per burst, off the execute path). */
const FLUSH_MS = 250;

/** The history file: TSKERNEL_HISTORY_FILE, or none when it is "off", else under XDG_DATA_HOME. */
export function defaultHistoryFile(): string | null {
  const env = process.env.TSKERNEL_HISTORY_FILE;
  if (env === 'off') return null;
  if (env) return env;
  const base = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'tskernel', 'history.jsonl');
}

export class History {
  private entries: Entry[] = [];
  readonly session: number;
  /** Lines not yet appended to the file. */
  private pending: string[] = [];
  private writing = false;
  private dirReady = false;

  constructor(private readonly file: string | null) {
    if (file) {
      try {
        this.entries = fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Entry)
          .slice(-MAX_ENTRIES);
      } catch {
        this.entries = [];
      }
    }
    this.session = this.entries.reduce((m, e) => Math.max(m, e.s), 0) + 1;
  }

  add(line: number, input: string, output?: string): void {
    const e: Entry = { s: this.session, l: line, i: input, ...(output !== undefined ? { o: output } : {}) };
    this.entries.push(e);
    if (this.entries.length > MAX_ENTRIES * 1.25) this.entries = this.entries.slice(-MAX_ENTRIES);
    if (!this.file) return;
    if (this.pending.length === 0 && !this.writing) {
      if (this.pendingAtExit === undefined) process.once('exit', (this.pendingAtExit = () => this.flushSync()));
      setTimeout(() => void this.flush(), FLUSH_MS).unref();
    }
    this.pending.push(JSON.stringify(e) + '\n');
  }

  private pendingAtExit: (() => void) | undefined;

  /** Appends the pending lines (one write); more lines added meanwhile go in the next one. */
  private async flush(): Promise<void> {
    const file = this.file;
    if (!file || this.writing || this.pending.length === 0) return;
    this.writing = true;
    const text = this.pending.join('');
    this.pending = [];
    try {
      if (!this.dirReady) await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      this.dirReady = true;
      await fs.promises.appendFile(file, text, { mode: 0o600 });
    } catch (err) {
      log.warn('could not write history', err);
    } finally {
      this.writing = false;
    }
    if (this.pending.length > 0) void this.flush();
  }

  /** Writes what is still pending now (the process is exiting). */
  private flushSync(): void {
    if (!this.file || this.pending.length === 0) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      fs.appendFileSync(this.file, this.pending.join(''), { mode: 0o600 });
      this.pending = [];
    } catch {
      // Exiting: nothing more to do.
    }
  }

  /** Sets the output of an entry added earlier in this session. */
  setOutput(line: number, output: string): void {
    const e = this.entries.findLast((x) => x.s === this.session && x.l === line);
    if (e) e.o = output;
  }

  query(req: HistoryRequest): Row[] {
    const withOutput = !!req.output;
    const row = (e: Entry): Row => (withOutput ? [e.s, e.l, [e.i, e.o ?? null]] : [e.s, e.l, e.i]);
    switch (req.hist_access_type ?? 'tail') {
      case 'tail': {
        const n = Math.max(0, req.n ?? 10);
        return (n === 0 ? [] : this.entries.slice(-n)).map(row);
      }
      case 'range': {
        let s = req.session ?? 0;
        if (s <= 0) s = this.session + s; // 0 = current, negative = relative
        const start = req.start ?? 0;
        const stop = req.stop ?? Infinity;
        return this.entries.filter((e) => e.s === s && e.l >= start && e.l < stop).map(row);
      }
      case 'search': {
        const re = globToRegExp(req.pattern ?? '*');
        let hits = this.entries.filter((e) => re.test(e.i));
        if (req.unique) {
          const seen = new Set<string>();
          hits = hits
            .reverse()
            .filter((e) => !seen.has(e.i) && seen.add(e.i))
            .reverse();
        }
        const n = req.n ?? hits.length;
        return hits.slice(Math.max(0, hits.length - n)).map(row);
      }
    }
    return [];
  }
}

function globToRegExp(glob: string): RegExp {
  const re = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[\\s\\S]*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`);
}
