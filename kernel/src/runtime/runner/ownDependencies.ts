// The runner's own npm dependencies (type strippers, resolver, the TypeScript compiler for cells
// that need the full transform, source-map code): not user code, so they are hidden from stack
// traces, pauses and Kernel Sources. One list, used by the agent's hidden paths and by errors.ts.

import * as path from 'node:path';

const OWN_PACKAGES = ['sucrase', 'amaro', 'import-meta-resolve', 'typescript', 'magic-string', '@jridgewell/trace-mapping', '@jridgewell/sourcemap-codec', '@jridgewell/resolve-uri'];

let dirs: string[] | undefined;

/** Package folders (ending in a separator) of the runner's dependencies that resolve from here. */
export function ownDependencyDirs(): string[] {
  if (dirs) return dirs;
  dirs = [];
  for (const name of OWN_PACKAGES) {
    try {
      // Packages may not export package.json; their entry file's package folder is enough.
      const entry = require.resolve(name);
      const marker = `${path.sep}node_modules${path.sep}${name.replace('/', path.sep)}${path.sep}`;
      const at = entry.lastIndexOf(marker);
      if (at >= 0) dirs.push(entry.slice(0, at + marker.length));
    } catch {
      /* not resolvable from here: nothing to hide */
    }
  }
  return dirs;
}
