// The LanguageServiceHost over the notebook: virtual cell files from the NotebookModel, the kernel
// globals' declarations (display, comms), the fallback @types/node, the default libs joined into
// one file (libBundle.ts), and everything else read from disk. The root files are fixed
// (declaration files and the two current-cell files, plain and JSX): history cells enter the
// program only through imports, so added and dropped cells never change the root list
// (node_modules typings and libs are read once; local sources are re-read when their mtime
// changes). Module specifiers naming cell files, and `tskernel/display`, resolve directly; the
// rest go through TypeScript's resolver with a shared cache.

import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { resolveCompatModule } from './compatModules';
import { resolveKernelModule } from './kernelModules';
import { PROGRAM_JSDOC_MODE } from './docComments';
import { LibBundle } from './libBundle';
import type { NotebookModel } from './notebookModel';

const EXTENSIONS: ReadonlyMap<string, ts.Extension> = new Map([
  ['.ts', ts.Extension.Ts],
  ['.tsx', ts.Extension.Tsx],
  ['.js', ts.Extension.Js],
  ['.jsx', ts.Extension.Jsx],
]);

// Methods are arrow properties: TypeScript calls some host methods without `this`.
export class NotebookHost implements ts.LanguageServiceHost {
  private readonly virtual = new Map<string, { text: string; version: number }>();
  private readonly libDir: string;
  private readonly snapshots = new Map<string, { version: string; snapshot: ts.IScriptSnapshot }>();
  private resolutionCache: ts.ModuleResolutionCache;
  private resolutionsInvalid = false;
  private failedResolutions = 0;
  /** The default libs as one file (undefined: they load as usual). */
  private readonly libs: LibBundle | undefined;
  /** Bumped by every change and by `newRequest()`: the language service re-checks files only then. */
  private projectVersion = 0;
  /** Doc comments are read on demand (docComments.ts), not kept in the program. */
  readonly jsDocParsingMode = PROGRAM_JSDOC_MODE;

  constructor(
    private readonly model: NotebookModel,
    private options: ts.CompilerOptions,
    private extraRoots: string[],
  ) {
    this.resolutionCache = ts.createModuleResolutionCache(model.dir, (f) => f, options);
    this.libDir = path.dirname(ts.getDefaultLibFilePath(options));
    this.libs = LibBundle.for(options, model.dir);
  }

  /** The original lib file and 0-based line of a position in the joined libs (else undefined). */
  libOrigin = (fileName: string, pos: number): { fileName: string; line: number } | undefined => {
    return this.libs?.original(fileName, pos);
  };

  /**
   * Switches options and extra root files (the staged start's second stage, new @types packages).
   * The libs stay those of the first options: the engine changes only `types`.
   */
  reconfigure(options: ts.CompilerOptions, extraRoots: string[]): void {
    this.options = options;
    this.extraRoots = extraRoots;
    this.resolutionCache = ts.createModuleResolutionCache(this.model.dir, (f) => f, options);
    this.resolutionsInvalid = true;
    this.projectVersion++;
  }

  /** Sets the text of a virtual file; bumps its version only when the text changed. */
  setFile(fileName: string, text: string): void {
    const cur = this.virtual.get(fileName);
    if (cur?.text === text) return;
    this.virtual.set(fileName, { text, version: (cur?.version ?? 0) + 1 });
    this.projectVersion++;
  }

  /** Forgets a virtual file (a cell dropped from the program) and its cached snapshot. */
  deleteFile(fileName: string): void {
    this.virtual.delete(fileName);
    this.projectVersion++;
    this.snapshots.delete(fileName);
  }

  /** After a cell with imports ran (maybe after `npm install`): retry the user's failed resolutions. */
  retryFailedResolutions(): void {
    if (this.failedResolutions === 0) return;
    this.failedResolutions = 0;
    this.resolutionCache = ts.createModuleResolutionCache(this.model.dir, (f) => f, this.options);
    this.resolutionsInvalid = true;
    this.projectVersion++;
  }

  /**
   * A new request begins: the next language service call compares every file's version again
   * (local modules on disk may have changed). Later calls of the same request skip that walk
   * over all ~220 files (a check made three of them).
   */
  newRequest(): void {
    this.projectVersion++;
  }

  getProjectVersion = (): string => {
    return String(this.projectVersion);
  };

  getScriptFileNames = (): string[] => {
    return [...this.extraRoots, ...this.model.currentFiles];
  };

  getScriptVersion = (fileName: string): string => {
    const v = this.virtual.get(fileName);
    if (v) return `v${v.version}`;
    // Typings in node_modules and the default libs do not change under us; local sources may.
    if (fileName.includes('/node_modules/') || fileName.startsWith(this.libDir)) return 'd';
    try {
      return `m${fs.statSync(fileName).mtimeMs}`;
    } catch {
      return 'missing';
    }
  };

  // The language service asks for every file's snapshot on every program update: answer from a
  // cache keyed by version, so unchanged files are never re-read.
  getScriptSnapshot = (fileName: string): ts.IScriptSnapshot | undefined => {
    const version = this.getScriptVersion(fileName);
    const cached = this.snapshots.get(fileName);
    if (cached?.version === version) return cached.snapshot;
    const text = this.readFile(fileName);
    if (text === undefined) return undefined;
    const snapshot = ts.ScriptSnapshot.fromString(text);
    this.snapshots.set(fileName, { version, snapshot });
    return snapshot;
  };

  /** Also gives the compiler its package.json cache (else every update re-reads package.json files). */
  getModuleResolutionCache = (): ts.ModuleResolutionCache => this.resolutionCache;

  getScriptKind = (fileName: string): ts.ScriptKind => {
    if (fileName.endsWith('.d.ts')) return ts.ScriptKind.TS;
    // By extension: JSX cells live in `.tsx`/`.jsx` files, the others in `.ts`/`.js` ones.
    return this.model.isVirtual(fileName) ? this.model.kindOf(fileName) : ts.ScriptKind.Unknown;
  };

  getCurrentDirectory = (): string => {
    return this.model.dir;
  };

  getCompilationSettings = (): ts.CompilerOptions => {
    return this.options;
  };

  getDefaultLibFileName = (options: ts.CompilerOptions): string => {
    return ts.getDefaultLibFilePath(options);
  };

  fileExists = (fileName: string): boolean => {
    return this.virtual.has(fileName) || ts.sys.fileExists(fileName);
  };

  readFile = (fileName: string): string | undefined => {
    const v = this.virtual.get(fileName);
    if (v) return v.text;
    const lib = this.libs?.textOf(fileName);
    if (lib !== undefined) return lib;
    try {
      return fs.readFileSync(fileName, 'utf8');
    } catch {
      return undefined;
    }
  };

  directoryExists = (dir: string): boolean => {
    return ts.sys.directoryExists(dir);
  };

  getDirectories = (dir: string): string[] => {
    return ts.sys.getDirectories(dir);
  };

  readDirectory = (dir: string, extensions?: readonly string[], exclude?: readonly string[], include?: readonly string[], depth?: number): string[] => {
    return ts.sys.readDirectory(dir, extensions, exclude, include, depth);
  };

  realpath = (p: string): string => {
    return ts.sys.realpath ? ts.sys.realpath(p) : p;
  };

  useCaseSensitiveFileNames = (): boolean => {
    return ts.sys.useCaseSensitiveFileNames;
  };

  hasInvalidatedResolutions = (fileName: string): boolean => {
    return this.resolutionsInvalid && !fileName.includes('/node_modules/');
  };

  /** Called after a program was built, so later builds reuse resolutions again. */
  resolutionsSettled(): void {
    this.resolutionsInvalid = false;
  }

  resolveModuleNameLiterals = (
    literals: readonly ts.StringLiteralLike[],
    containingFile: string,
    redirected: ts.ResolvedProjectReference | undefined,
    options: ts.CompilerOptions,
    containingSourceFile: ts.SourceFile,
  ): readonly ts.ResolvedModuleWithFailedLookupLocations[] => {
    return literals.map((lit) => {
      const virtualFile = this.model.resolveVirtual(lit.text);
      if (virtualFile) {
        const extension = EXTENSIONS.get(path.extname(virtualFile)) ?? ts.Extension.Ts;
        return { resolvedModule: { resolvedFileName: virtualFile, extension, isExternalLibraryImport: false } };
      }
      const own = resolveKernelModule(lit.text) ?? resolveCompatModule(lit, containingFile, containingSourceFile, options, this, this.resolutionCache);
      if (own) return { resolvedModule: own };
      const mode = ts.getModeForUsageLocation(containingSourceFile, lit, options);
      const r = ts.resolveModuleName(lit.text, containingFile, options, this, this.resolutionCache, redirected, mode);
      // Only the user's own imports count: typings' ambient `node:*` imports never resolve to files.
      if (!r.resolvedModule && !containingFile.includes('/node_modules/')) this.failedResolutions++;
      return r;
    });
  };
}
