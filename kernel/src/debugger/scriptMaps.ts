// Source maps of the files a target loads (an attached server compiled from TypeScript, a local
// .ts import built with a map): loads each script's map once (inline data: URL, a file next to
// the script, read locally or through the target when it runs elsewhere), and answers both ways —
// generated script position -> original file position for stacks, original file line ->
// generated positions for breakpoints. A breakpoint in a .ts file that has not loaded yet is
// placed on the compiled file predicted from the maps already loaded (src/ -> dist/ as tsc lays
// it out), because CommonJS modules run right after they parse, before any map could be fetched.
// Maps come from the target, so they are size-capped and parsed defensively. Cells have their
// own maps (CellFiles) and never come through here.

import { allGeneratedPositionsFor, LEAST_UPPER_BOUND, originalPositionFor, sourceContentFor, TraceMap } from '@jridgewell/trace-mapping';
import * as nodePath from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { logger } from '../common/log';
import { urlToPath } from './scripts';

const log = logger('dap');

/** Larger maps are ignored (the script is then debugged as plain JavaScript). */
export const MAX_SOURCE_MAP_BYTES = 16 * 1024 * 1024;
/** An original line without code snaps to the next line that has some, this far at most. */
const SNAP_LINES = 20;

export interface GeneratedLocation {
  scriptId: string;
  url: string;
  line0: number;
  col0: number;
}

export interface OriginalLocation {
  path: string;
  line0: number;
  col0: number;
}

/** Reads the text of a source map at an absolute file path (locally or through the target). */
export type MapFileReader = (path: string) => Promise<string | undefined>;

interface Loaded {
  scriptId: string;
  url: string;
  map: TraceMap;
  /** Original file paths, index-aligned with map.resolvedSources. */
  paths: (string | undefined)[];
}

/** Decodes a `data:` source map URL; undefined if it is not one we can read. */
export function decodeDataUrl(url: string): string | undefined {
  const m = /^data:([^,]*?)(;base64)?,(.*)$/s.exec(url);
  if (!m) return undefined;
  try {
    return m[2] ? Buffer.from(m[3], 'base64').toString('utf8') : decodeURIComponent(m[3]);
  } catch {
    return undefined;
  }
}

export class ScriptMaps {
  private readonly byScript = new Map<string, Loaded>();
  private readonly bySource = new Map<string, Set<string>>();
  private readonly loading = new Map<string, Promise<Loaded | undefined>>();
  /** Original path -> how many maps were loaded when a prediction was last tried for it. */
  private readonly predicted = new Map<string, number>();
  /** URL of every script with a map, known before its map has loaded. */
  private readonly urls = new Map<string, string>();

  constructor(private readonly readFile: MapFileReader) {}

  /** Starts loading a script's map; resolves with the original paths it covers (empty if none). */
  add(scriptId: string, scriptUrl: string, sourceMapURL: string): Promise<string[]> {
    this.urls.set(scriptId, scriptUrl);
    let p = this.loading.get(scriptId);
    if (!p) {
      p = this.load(scriptId, scriptUrl, sourceMapURL).catch((e) => {
        log.debug(`source map of ${scriptUrl} not loaded: ${(e as Error).message}`);
        return undefined;
      });
      this.loading.set(scriptId, p);
    }
    return p.then((l) => (l ? l.paths.filter((x): x is string => !!x) : []));
  }

  /** Waits for the map of a script (if one is loading). */
  async settled(scriptId: string): Promise<void> {
    await this.loading.get(scriptId);
  }

  hasMap(scriptId: string): boolean {
    return !!this.mapOf(scriptId);
  }

  /** Whether some loaded script maps to `path`. */
  isMappedSource(path: string): boolean {
    return !!this.bySource.get(path)?.size;
  }

  /** All original paths of loaded maps. */
  sourcePaths(): string[] {
    return [...this.bySource.keys()].filter((p) => this.bySource.get(p)!.size);
  }

  /** The compiled files mapping to `path`, as a key that changes when one is added or removed. */
  keyFor(path: string): string {
    const ids = this.bySource.get(path);
    return ids?.size ? [...new Set([...ids].map((id) => this.byScript.get(id)!.url))].sort().join(',') : '';
  }

  /**
   * For an original file no loaded script maps to yet: guesses its compiled file from the layout
   * of the maps already loaded (the .ts's place relative to a mapped source, taken relative to
   * that source's compiled file) and, if the guessed file's map lists it, registers that map
   * under the compiled file's URL so breakpoints bind by URL before the module loads.
   */
  async predict(path: string): Promise<void> {
    const ext = /\.([cm]?)tsx?$/.exec(path);
    if (!ext || this.isMappedSource(path) || this.predicted.get(path) === this.byScript.size) return;
    this.predicted.set(path, this.byScript.size);
    const candidates = new Set<string>();
    for (const l of this.byScript.values()) {
      const generated = urlToPath(l.url);
      if (!generated?.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(generated ?? '')) continue;
      for (const src of l.paths) {
        if (!src) continue;
        const rel = nodePath.relative(nodePath.dirname(src), path);
        candidates.add(nodePath.join(nodePath.dirname(generated!), rel).slice(0, -ext[0].length) + `.${ext[1]}js`);
      }
    }
    for (const candidate of [...candidates].slice(0, 8)) {
      const url = pathToFileURL(candidate).href;
      const loaded = await this.load(`predicted:${candidate}`, url, `${nodePath.basename(candidate)}.map`).catch(() => undefined);
      if (loaded && !loaded.paths.includes(path)) this.forget(loaded.scriptId);
      if (this.isMappedSource(path)) return;
    }
  }

  /** The loaded map of a script, or (while its own is still loading) a prediction for its URL. */
  private mapOf(scriptId: string): Loaded | undefined {
    const l = this.byScript.get(scriptId);
    if (l) return l;
    const url = this.urls.get(scriptId);
    return url ? [...this.byScript.values()].find((x) => x.url === url) : undefined;
  }

  originalFor(scriptId: string, line0: number, col0: number): OriginalLocation | undefined {
    const l = this.mapOf(scriptId);
    if (!l) return undefined;
    const o = originalPositionFor(l.map, { line: line0 + 1, column: col0 });
    if (o.source === null || o.line === null) return undefined;
    const i = l.map.resolvedSources.indexOf(o.source);
    const path = i >= 0 ? l.paths[i] : undefined;
    return path ? { path, line0: o.line - 1, col0: o.column ?? 0 } : undefined;
  }

  /** Every generated position of an original line (the next line with code, if it has none). */
  generatedFor(path: string, line0: number, col0?: number): GeneratedLocation[] {
    const out: GeneratedLocation[] = [];
    for (const id of this.bySource.get(path) ?? []) {
      const l = this.byScript.get(id)!;
      const source = l.map.resolvedSources[l.paths.indexOf(path)];
      for (let line = line0; line <= line0 + SNAP_LINES; line++) {
        const all = allGeneratedPositionsFor(l.map, { source, line: line + 1, column: line === line0 ? (col0 ?? 0) : 0, bias: LEAST_UPPER_BOUND });
        const first = all.filter((g) => g.line !== null).sort((a, b) => a.line - b.line || a.column - b.column)[0];
        if (first) {
          out.push({ scriptId: id, url: l.url, line0: first.line - 1, col0: first.column ?? 0 });
          break;
        }
      }
    }
    return out;
  }

  /** The original text of a mapped file when the map embeds it. */
  sourceContent(path: string): string | undefined {
    for (const id of this.bySource.get(path) ?? []) {
      const l = this.byScript.get(id)!;
      const content = sourceContentFor(l.map, l.map.resolvedSources[l.paths.indexOf(path)]);
      if (typeof content === 'string') return content;
    }
    return undefined;
  }

  clear(): void {
    this.byScript.clear();
    this.bySource.clear();
    this.loading.clear();
    this.predicted.clear();
    this.urls.clear();
  }

  private forget(scriptId: string): void {
    const l = this.byScript.get(scriptId);
    if (!l) return;
    this.byScript.delete(scriptId);
    for (const p of l.paths) if (p) this.bySource.get(p)?.delete(scriptId);
  }

  private async load(scriptId: string, scriptUrl: string, sourceMapURL: string): Promise<Loaded | undefined> {
    let text: string | undefined;
    let mapUrl: string;
    if (sourceMapURL.startsWith('data:')) {
      text = decodeDataUrl(sourceMapURL);
      mapUrl = scriptUrl;
    } else {
      let resolved: URL;
      try {
        const base = /^[A-Za-z][A-Za-z0-9+.-]+:/.test(scriptUrl) ? scriptUrl : pathToFileURL(scriptUrl).href;
        resolved = new URL(sourceMapURL, base);
      } catch {
        return undefined;
      }
      // Only files: never fetch a URL a target hands us.
      if (resolved.protocol !== 'file:') return undefined;
      mapUrl = resolved.href;
      text = await this.readFile(fileURLToPath(resolved));
    }
    if (!text || text.length > MAX_SOURCE_MAP_BYTES) return undefined;
    const map = new TraceMap(text, mapUrl);
    const paths = map.resolvedSources.map((s) => {
      const p = s ? urlToPath(s) : undefined;
      return p && p.startsWith('/') ? p : p && /^[A-Za-z]:[\\/]/.test(p) ? p : undefined;
    });
    const loaded: Loaded = { scriptId, url: scriptUrl, map, paths };
    // The real script replaces a prediction for the same file.
    for (const [id, l] of this.byScript) if (l.url === scriptUrl && id.startsWith('predicted:')) this.forget(id);
    this.byScript.set(scriptId, loaded);
    for (const p of paths) {
      if (!p) continue;
      let set = this.bySource.get(p);
      if (!set) this.bySource.set(p, (set = new Set()));
      set.add(scriptId);
    }
    return loaded;
  }
}
