// The default libs as one file. The compiler options name a few TypeScript lib files (ES2023:
// `lib.es2023.d.ts`), which reference ~60 more (`/// <reference lib>`); every new program (one
// per type check, completion or hover) walks each of them, and every new checker merges the
// interfaces they declare piecewise (`Array` in seven files, `String` in six) into new symbols.
// Joined into one file, in the order the compiler loads them, the binder merges those
// declarations once, when the file is first bound, and a program has ~60 files fewer: a type
// check measured ~15% faster. The joined text is served as the first named lib; the other libs
// it took in are served empty (a `/// <reference lib>` to one of them elsewhere, as in Node's
// typings, adds nothing twice); libs outside it load as usual. Each part keeps its offsets (the
// joined reference lines are blanked, not removed), so positions map back to the original file
// and line (`where` in an inspection). Not used when the options have no libs (`noLib`, `lib: []`)
// or a `@typescript/lib-*` package may replace a lib (TypeScript's libReplacement), or with
// TSKERNEL_LIB_BUNDLE=off in the kernel's environment.

import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

interface Part {
  fileName: string;
  /** Offset of the part's first character in the joined text. */
  start: number;
  /** Line of the joined text the part starts on. */
  line: number;
}

/** `/// <reference lib="…" />` lines: blanked in the joined text (the parts are all in it). */
const LIB_REFERENCE = /^\/\/\/[ \t]*<reference[ \t]+lib[ \t]*=.*$/gm;

export class LibBundle {
  private readonly parts: Part[] = [];
  private readonly members = new Set<string>();
  readonly text: string;

  private constructor(
    /** The file the joined text is served as: the first lib the options name. */
    readonly fileName: string,
    roots: readonly string[],
    read: (file: string) => string | undefined,
  ) {
    const found: Array<{ file: string; text: string }> = [];
    const visit = (file: string): void => {
      if (this.members.has(file)) return;
      this.members.add(file);
      const text = read(file);
      if (text === undefined) throw new Error(`cannot read ${file}`);
      for (const ref of ts.preProcessFile(text, true, true).libReferenceDirectives) {
        const name = libFileName(ref.fileName);
        if (!name) throw new Error(`unknown lib "${ref.fileName}" in ${file}`);
        visit(`${path.dirname(file)}/${name}`);
      }
      found.push({ file, text });
    };
    for (const root of roots) visit(root);
    // The program's order: the compiler sorts the default libs by their rank in its list of libs
    // (stably). Declarations merge in this order (it decides which overloads come first).
    const ranked = found.map((f, i) => ({ ...f, rank: libRank(f.file), i })).sort((a, b) => a.rank - b.rank || a.i - b.i);
    const texts: string[] = [];
    let start = 0;
    let line = 0;
    for (const { file, text } of ranked) {
      this.parts.push({ fileName: file, start, line });
      texts.push(text.replace(LIB_REFERENCE, (m) => ' '.repeat(m.length)));
      start += text.length + 1;
      line += countLines(text, text.length) + 1;
    }
    this.text = texts.join('\n');
  }

  /**
   * The bundle for `options`, or undefined when the libs load as usual: no libs, a lib a package
   * may replace, or a lib file that cannot be read or names an unknown lib.
   */
  static for(options: ts.CompilerOptions, dir: string, read: (file: string) => string | undefined = readText): LibBundle | undefined {
    if (options.noLib || process.env.TSKERNEL_LIB_BUNDLE === 'off') return undefined;
    const libDir = path.dirname(ts.getDefaultLibFilePath(options));
    // Joined with '/', as the compiler names files on every platform (these names are its keys).
    const roots = options.lib ? options.lib.map((name) => `${libDir}/${name}`) : [ts.getDefaultLibFilePath(options)];
    if (roots.length === 0) return undefined;
    if (options.libReplacement !== false && hasLibReplacements(dir)) return undefined;
    try {
      return new LibBundle(roots[0], roots, read);
    } catch {
      return undefined;
    }
  }

  /** What to serve as `fileName`: the joined text, '' for the libs it took in, else undefined. */
  textOf(fileName: string): string | undefined {
    if (fileName === this.fileName) return this.text;
    return this.members.has(fileName) ? '' : undefined;
  }

  /** The original lib file and 0-based line of `pos` in the joined text (undefined elsewhere). */
  original(fileName: string, pos: number): { fileName: string; line: number } | undefined {
    if (fileName !== this.fileName || pos < 0 || pos > this.text.length) return undefined;
    let lo = 0;
    let hi = this.parts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.parts[mid].start <= pos) lo = mid;
      else hi = mid - 1;
    }
    const part = this.parts[lo];
    return { fileName: part.fileName, line: countLines(this.text, pos) - part.line };
  }

  /** The lib files joined, in order (for tests). */
  get files(): string[] {
    return this.parts.map((p) => p.fileName);
  }
}

/** The file name of lib `name` as a `/// <reference lib>` or the `lib` option spells it. */
function libFileName(name: string): string | undefined {
  const map = Reflect.get(ts, 'libMap') as ReadonlyMap<string, string> | undefined;
  const lower = name.toLowerCase();
  return map instanceof Map ? map.get(lower) : `lib.${lower}.d.ts`;
}

/** A lib file's rank in the program's order, as the compiler computes it (getDefaultLibFilePriority). */
function libRank(file: string): number {
  const libs = Reflect.get(ts, 'libs') as readonly string[] | undefined;
  const base = path.basename(file);
  if (base === 'lib.d.ts' || base === 'lib.es6.d.ts') return 0;
  if (!Array.isArray(libs)) return 1;
  const index = libs.indexOf(base.slice('lib.'.length, -'.d.ts'.length));
  return index === -1 ? libs.length + 2 : index + 1;
}

/** Line breaks in `text` before offset `end`. */
function countLines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Whether a `node_modules/@typescript/lib-*` package is in reach of `dir` (TypeScript would use it). */
function hasLibReplacements(dir: string): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      if (fs.readdirSync(path.join(d, 'node_modules', '@typescript')).some((n) => n.startsWith('lib-'))) return true;
    } catch {
      /* no such folder */
    }
    if (path.dirname(d) === d) return false;
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
