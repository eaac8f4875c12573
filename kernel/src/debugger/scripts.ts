// What a target has parsed: scriptId -> URL, the path the user sees (cell path or file path) and
// whether it is the host's own code (hidden from stacks, blackboxed). Also turns a path into the
// URL regex a by-URL breakpoint needs: V8 reports a vm script compiled with filename `/p/x.ts`
// as `file:///p/x.ts`, so both spellings must match.

import type { Protocol } from 'devtools-protocol';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface ScriptInfo {
  scriptId: string;
  url: string;
  /** The DAP source path (absolute file path, or the raw URL for non-file scripts). */
  path?: string;
  hidden: boolean;
  hasSourceMap: boolean;
}

/** Our own evaluations carry this sourceURL suffix; never shown, never paused in. */
export const INTERNAL_URL_SUFFIX = '.tskernel-internal';

export function urlToPath(url: string): string | undefined {
  if (!url) return undefined;
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return undefined;
    }
  }
  return url;
}

/** `s` as a regular expression that matches exactly `s`. */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A regex matching every URL V8 may report for a script at `path`. */
export function urlRegexFor(path: string): string {
  const alternatives = new Set([escapeRegex(path)]);
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) {
    try {
      alternatives.add(escapeRegex(pathToFileURL(path).href));
      alternatives.add(escapeRegex('file://' + path));
    } catch {
      /* not a file path */
    }
  }
  return `^(?:${[...alternatives].join('|')})$`;
}

export class ScriptRegistry {
  private readonly byId = new Map<string, ScriptInfo>();
  private readonly byPath = new Map<string, Set<string>>();

  constructor(private readonly isHidden: (path: string | undefined, url: string) => boolean) {}

  add(ev: Protocol.Debugger.ScriptParsedEvent): ScriptInfo {
    const path = urlToPath(ev.url);
    const info: ScriptInfo = { scriptId: ev.scriptId, url: ev.url, path, hidden: this.isHidden(path, ev.url), hasSourceMap: !!ev.sourceMapURL };
    this.byId.set(ev.scriptId, info);
    if (path) {
      let set = this.byPath.get(path);
      if (!set) this.byPath.set(path, (set = new Set()));
      set.add(ev.scriptId);
    }
    return info;
  }

  get(scriptId: string): ScriptInfo | undefined {
    return this.byId.get(scriptId);
  }

  idsForPath(path: string): string[] {
    return [...(this.byPath.get(path) ?? [])];
  }

  /** The most recently parsed script for a path. */
  latestForPath(path: string): ScriptInfo | undefined {
    const ids = this.idsForPath(path);
    return ids.length ? this.byId.get(ids[ids.length - 1]) : undefined;
  }

  all(): ScriptInfo[] {
    return [...this.byId.values()];
  }

  clear(): void {
    this.byId.clear();
    this.byPath.clear();
  }
}

/**
 * Whether `script` is `original` with its TypeScript types blanked out (what the runner's module
 * loader runs for a local .ts file): same length, every character kept or turned into whitespace
 * (or a `;` the stripper adds where removing a type would change how lines join). Then the file
 * as written can be shown for the script, and every line:column still matches.
 */
export function isTypeStrippedFrom(script: string, original: string): boolean {
  if (script.length !== original.length) return false;
  for (let i = 0; i < script.length; i++) {
    const c = script.charCodeAt(i);
    if (c === original.charCodeAt(i)) continue;
    // space, tab, newline, carriage return, ';'
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 59) return false;
  }
  return true;
}
