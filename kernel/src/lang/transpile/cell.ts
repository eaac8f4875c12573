// One cell's TypeScript/JavaScript -> runnable JavaScript: type stripping (fast, positions kept)
// or, when the cell needs more (enums, namespaces, parameter properties, decorators, `using`,
// JSX), the full TypeScript transform; then the REPL transform. The generated code carries one
// source map back to the cell (inline, for the runner's error positions); `map` is also returned
// when the TypeScript transform moved lines (the debugger binds breakpoints through it). Compile
// errors come out as one error type with a 1-based position in the cell as written.

import { CellPositions, composeMaps, isIdentityMap, withInlineMap } from './cellMap';
import { replTransform } from './replTransform';
import { CellSyntaxError } from './syntaxError';
import { NeedsTransform } from './blankTypes';
import { stripTypes } from './strip';
import { fullTransform, looksLikeJsx, mayNeedFullTransform } from './tsTransform';
export { CellSyntaxError } from './syntaxError';

export interface TranspiledCell {
  generated: string;
  isAsync: boolean;
  /** Source map when the TypeScript transform moved code. */
  map?: string;
  /** Column (0-based, line 1) of the async wrapper function, for cells with top-level await. */
  wrapperColumn?: number;
}

interface Stage {
  code: string;
  map?: string;
}

export function transpileCell(code: string, language: 'typescript' | 'javascript', filename: string): TranspiledCell {
  try {
    const stage = toJavaScript(code, language, filename);
    let repl;
    try {
      repl = replTransform(stage.code);
    } catch (e) {
      if (!(e instanceof CellSyntaxError)) throw e;
      // Plain JavaScript with JSX only fails here, in the REPL parser.
      if (!stage.map && language === 'javascript' && looksLikeJsx(code)) return finish(code, fullTransform(code, filename, { javascript: true, jsx: true }));
      if (!stage.map) throw e;
      const p = new CellPositions(withInlineMap('', stage.map)).original({ line: e.line ?? 1, column: e.column ?? 1 });
      throw new CellSyntaxError(e.message, p?.line ?? 1, p?.column ?? 1);
    }
    return assemble(repl, stage.map, code);
  } catch (e) {
    if (e instanceof CellSyntaxError) throw new CellSyntaxError(e.message, e.line ?? 1, e.column ?? 1);
    throw e;
  }
}

function finish(code: string, stage: Stage): TranspiledCell {
  return assemble(replTransform(stage.code), stage.map, code);
}

/**
 * The generated code carries its map only when positions moved: most cells (`x = 1`, `const`
 * padded to `var  `, a function) read the same without one, and the runner keeps every cell's
 * code (V8's compilation cache holds its source).
 */
function assemble(repl: ReturnType<typeof replTransform>, tsMap: string | undefined, source: string): TranspiledCell {
  // No REPL map: the REPL transform left the code as it was (positions are the stage's own).
  const map = tsMap && repl.map ? composeMaps(repl.map, tsMap) : (tsMap ?? repl.map);
  const generated = map === undefined || (!tsMap && isIdentityMap(map, repl.code, source)) ? repl.code : withInlineMap(repl.code, map);
  return { generated, isAsync: repl.isAsync, map: tsMap ? map : undefined, wrapperColumn: repl.wrapperColumn };
}

function toJavaScript(code: string, language: 'typescript' | 'javascript', filename: string): Stage {
  const javascript = language === 'javascript';
  const full = (): Stage => transformWithJsxRetry(code, filename, javascript);
  if (mayNeedFullTransform(code)) return full();
  if (javascript) return { code };
  try {
    return stripTypes(code, filename, { strictStrip: true });
  } catch (e) {
    if (e instanceof NeedsTransform) return full();
    if (e instanceof CellSyntaxError && looksLikeJsx(code)) return full();
    throw e;
  }
}

/** The full transform as TypeScript; a cell that then fails to parse but looks like JSX, as TSX. */
function transformWithJsxRetry(code: string, filename: string, javascript: boolean): Stage {
  const jsx = looksLikeJsx(code);
  try {
    return fullTransform(code, filename, { javascript, jsx: false });
  } catch (e) {
    if (!jsx || !(e instanceof CellSyntaxError)) throw e;
    return fullTransform(code, filename, { javascript, jsx: true });
  }
}
