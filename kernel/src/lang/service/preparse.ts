// Staged start, part 2: parses the Node typings (and the notebook's automatic @types) one file
// at a time into the shared DocumentRegistry, so the worker can answer requests between files.
// When the full program is built afterwards, every file is already parsed and only binding is
// left. Files are found by following `/// <reference>`s, type references and imports from the
// roots (the same graph the compiler would walk).

import * as path from 'node:path';
import ts from 'typescript';
import type { NotebookHost } from './host';

export class Preparser {
  private readonly queue: string[] = [];
  private readonly seen = new Set<string>();
  private readonly key: ts.DocumentRegistryBucketKey;

  constructor(
    roots: string[],
    private readonly options: ts.CompilerOptions,
    private readonly host: NotebookHost,
    private readonly registry: ts.DocumentRegistry,
  ) {
    this.key = registry.getKeyForCompilationSettings(options);
    for (const r of roots) this.enqueue(r);
    const containing = path.join(host.getCurrentDirectory(), '__index.ts');
    for (const name of this.options.types ?? ts.getAutomaticTypeDirectiveNames(options, host)) {
      this.enqueue(ts.resolveTypeReferenceDirective(name, containing, options, host).resolvedTypeReferenceDirective?.resolvedFileName);
    }
  }

  get done(): boolean {
    return this.queue.length === 0;
  }

  /** Parses the next file; returns false once nothing is left. */
  step(): boolean {
    const file = this.queue.shift();
    if (file === undefined) return false;
    const snapshot = this.host.getScriptSnapshot(file);
    if (!snapshot) return true;
    const version = this.host.getScriptVersion(file);
    this.registry.acquireDocumentWithKey(file, file as ts.Path, this.host, this.key, snapshot, version, this.host.getScriptKind(file));
    const info = ts.preProcessFile(snapshot.getText(0, snapshot.getLength()), true, false);
    for (const ref of info.referencedFiles) this.enqueue(path.resolve(path.dirname(file), ref.fileName));
    for (const t of info.typeReferenceDirectives) {
      this.enqueue(ts.resolveTypeReferenceDirective(t.fileName, file, this.options, this.host).resolvedTypeReferenceDirective?.resolvedFileName);
    }
    for (const imp of info.importedFiles) {
      this.enqueue(ts.resolveModuleName(imp.fileName, file, this.options, this.host).resolvedModule?.resolvedFileName);
    }
    return true;
  }

  private enqueue(file: string | undefined): void {
    if (!file || this.seen.has(file) || !/\.d\.[cm]?ts$/.test(file)) return;
    this.seen.add(file);
    this.queue.push(file);
  }
}
