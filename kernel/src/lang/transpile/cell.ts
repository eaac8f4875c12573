// One cell's TypeScript/JavaScript -> runnable JavaScript: type stripping (TypeScript kernel)
// then the REPL transform. Compile errors come out as one error type with a 1-based position.

import { stripTypes, TypeScriptSyntaxError } from './strip';
import { CellSyntaxError, replTransform } from './replTransform';

export interface TranspiledCell {
  generated: string;
  isAsync: boolean;
  /** Source map when the TypeScript transform moved code. */
  map?: string;
}

export class CellCompileError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'SyntaxError';
  }
}

export function transpileCell(code: string, language: 'typescript' | 'javascript', filename: string): TranspiledCell {
  try {
    const stripped = language === 'typescript' ? stripTypes(code, filename) : { code, map: undefined };
    const repl = replTransform(stripped.code);
    return { generated: repl.code, isAsync: repl.isAsync, map: stripped.map };
  } catch (e) {
    if (e instanceof CellSyntaxError || e instanceof TypeScriptSyntaxError) throw new CellCompileError(e.message, e.line ?? 1, e.column ?? 1);
    throw e;
  }
}
