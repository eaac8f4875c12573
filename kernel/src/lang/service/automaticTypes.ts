// The notebook's automatic type packages: every package in node_modules/@types of the notebook
// directory and its ancestors, which TypeScript includes when the notebook's tsconfig sets no
// `types`. TypeScript would list them again (a directory read and every package.json) on each
// program update, ~5 ms per check or keystroke in a project with many @types; here they are
// listed once and again only when one of those directories changed (a package installed or
// removed since).

import * as fs from 'node:fs';
import ts from 'typescript';

export class AutomaticTypes {
  private stamp: string | undefined;
  private names: readonly string[] = [];
  /** The file system, seen from the notebook directory (type roots are found from there). */
  private readonly host: ts.ModuleResolutionHost & { getCurrentDirectory(): string };

  constructor(
    private readonly options: ts.CompilerOptions,
    notebookDir: string,
  ) {
    this.host = { ...ts.sys, getCurrentDirectory: () => notebookDir };
  }

  /** The package names, re-listed only when a @types directory appeared, went or changed. */
  current(): readonly string[] {
    const stamp = (ts.getEffectiveTypeRoots(this.options, this.host) ?? []).map(modified).join('|');
    if (stamp !== this.stamp) {
      this.stamp = stamp;
      this.names = ts.getAutomaticTypeDirectiveNames(this.options, this.host);
    }
    return this.names;
  }
}

function modified(dir: string): string {
  try {
    return String(fs.statSync(dir).mtimeMs);
  } catch {
    return '-';
  }
}
