// What the runner hands Node for a local TypeScript module: the JavaScript to run, and, when the
// compile moved code (an enum, a namespace, parameter properties, JSX), an inline source map whose
// one source is the file as written (its text included). V8 reports the map with the script, so the
// debugger shows the module as written and places its breakpoints through the map, and Node's
// stack traces can follow it too. Type-stripped modules keep every position and need no map.

import * as path from 'node:path';
import { stripTypes } from '../../lang/transpile/strip';
import { fullTransform } from '../../lang/transpile/tsTransform';

/** `source` (the text of `file`, a .ts/.mts/.cts/.tsx module) as JavaScript Node can run. */
export function compileModule(source: string, file: string): string {
  if (file.endsWith('.tsx')) {
    const out = fullTransform(source, file, { jsx: true, module: true });
    return withInlineMap(out.code, out.map, file, source);
  }
  const out = stripTypes(source, file);
  return out.map ? withInlineMap(out.code, out.map, file, source) : out.code;
}

function withInlineMap(code: string, mapJson: string, file: string, original: string): string {
  if (!mapJson) return code;
  let map: Record<string, unknown>;
  try {
    map = JSON.parse(mapJson) as Record<string, unknown>;
  } catch {
    return code;
  }
  // One source: the file itself, named relative to the script (same folder), text included.
  map.sources = [path.basename(file)];
  map.sourcesContent = [original];
  delete map.sourceRoot;
  map.file = path.basename(file);
  const data = Buffer.from(JSON.stringify(map)).toString('base64');
  return `${code.replace(/\n\/\/# sourceMappingURL=[^\n]*\s*$/, '\n')}${code.endsWith('\n') ? '' : '\n'}//# sourceMappingURL=data:application/json;base64,${data}\n`;
}
