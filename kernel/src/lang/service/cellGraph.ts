// Which executed cells the program still needs. A cell file stays while it is the latest definer
// of some name, while a live cell imports from it (its types may flow from there), or when it has
// global effects (pinned: `declare global`, `declare module`, side-effect imports, references).
// Every other cell is dropped as soon as it is superseded — or at once, when it declares nothing
// (`1 + 1`, `console.log(x)`): its own diagnostics were reported before it was added, and no later
// cell can see it. Dropping cascades to cells only the dropped one imported from.

export interface CellFile {
  fileName: string;
  specifier: string;
  /** `Cell [n]` for messages and inspection. */
  label: string;
  /** Text the compiler sees (generated prefix + cell). */
  text: string;
  /** Files the generated prefix imports from (each counted once). */
  deps: CellFile[];
  pinned: boolean;
  /** Its triple-slash references (globalEffects.ts), repeated at the top of the scope module. */
  references: readonly string[];
  /** Names this cell is still the latest definer of. */
  latestNames: number;
  /** Live cells importing from this one. */
  refs: number;
}

export class CellGraph {
  private readonly byFile = new Map<string, CellFile>();
  private readonly bySpecifier = new Map<string, CellFile>();

  /** Registers a live cell (it defines `latestNames` names or is pinned) and counts its imports. */
  add(cell: CellFile): void {
    this.byFile.set(cell.fileName, cell);
    this.bySpecifier.set(cell.specifier, cell);
    for (const dep of cell.deps) dep.refs++;
  }

  /** `cell` is no longer the latest definer of one name; appends the files that died to `dropped`. */
  supersede(cell: CellFile, dropped: string[]): void {
    cell.latestNames--;
    this.dropIfDead(cell, dropped);
  }

  get(fileName: string): CellFile | undefined {
    return this.byFile.get(fileName);
  }

  bySpec(specifier: string): CellFile | undefined {
    return this.bySpecifier.get(specifier);
  }

  /** Live cell files, oldest first. */
  files(): CellFile[] {
    return [...this.byFile.values()];
  }

  pinned(): CellFile[] {
    return this.files().filter((c) => c.pinned);
  }

  get size(): number {
    return this.byFile.size;
  }

  private dropIfDead(first: CellFile, dropped: string[]): void {
    const stack = [first];
    for (let cell = stack.pop(); cell; cell = stack.pop()) {
      if (cell.latestNames > 0 || cell.refs > 0 || cell.pinned || !this.byFile.has(cell.fileName)) continue;
      this.byFile.delete(cell.fileName);
      this.bySpecifier.delete(cell.specifier);
      dropped.push(cell.fileName);
      for (const dep of cell.deps) {
        dep.refs--;
        stack.push(dep);
      }
    }
  }
}
