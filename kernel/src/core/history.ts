// Input history persisted per user across kernel restarts (like ipykernel's history database):
// one JSON line per executed cell in $XDG_DATA_HOME/tskernel/history.jsonl, each tagged with a
// session number. Serves history_request tail / range / search.

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
  hist_access_type?: 'range' | 'tail' | 'search';
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

type Row = [number, number, string] | [number, number, [string, string | null]];

const MAX_ENTRIES = 10000;

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
    if (!this.file) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      fs.appendFileSync(this.file, JSON.stringify(e) + '\n', { mode: 0o600 });
    } catch (err) {
      log.warn('could not write history', err);
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
        const n = Math.max(0, Number(req.n ?? 10));
        return (n === 0 ? [] : this.entries.slice(-n)).map(row);
      }
      case 'range': {
        let s = Number(req.session ?? 0);
        if (s <= 0) s = this.session + s; // 0 = current, negative = relative
        const start = Number(req.start ?? 0);
        const stop = req.stop === undefined || req.stop === null ? Infinity : Number(req.stop);
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
        const n = req.n === undefined || req.n === null ? hits.length : Number(req.n);
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
