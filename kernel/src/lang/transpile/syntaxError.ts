// The one error every compile step throws for code that does not parse or cannot be compiled
// (amaro's stripper, the TypeScript transform, the REPL rewrite): a message and, when known, the
// 1-based line and column in the cell or file as the user wrote it.

export class CellSyntaxError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'SyntaxError';
  }
}
