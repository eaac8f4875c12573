// Which copy of the TypeScript compiler a thread runs. The build writes a minified copy of the
// installed compiler to dist/vendor (scripts/build-typescript.mjs): V8 keeps a script's source on
// the heap of every thread that loads it, 8.7 MB for lib/typescript.js against 3.4 MB for the
// copy, and the copy loads ~100 ms sooner. It is used only when it was built from the installed
// version (its lib .d.ts files are the installed package's); otherwise, and when running from
// sources, `typescript` loads as usual. Once loaded, the copy answers every `require('typescript')`
// of the thread: it is registered in the thread's module cache under the installed file's name.
// TSKERNEL_MINIFIED_TYPESCRIPT=off loads the package's own file (readable names in CPU profiles).

import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';

const VENDOR_DIR = path.join(__dirname, '..', 'vendor');

/** The minified copy in `vendorDir`, when it exists and matches the installed `typescript`. */
export function minifiedTypescript(vendorDir = VENDOR_DIR): string | undefined {
  if (process.env.TSKERNEL_MINIFIED_TYPESCRIPT === 'off') return undefined;
  const file = path.join(vendorDir, 'typescript.js');
  try {
    const built = (JSON.parse(fs.readFileSync(path.join(vendorDir, 'typescript.json'), 'utf8')) as { version?: unknown }).version;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const installed = (require('typescript/package.json') as { version: string }).version;
    return built === installed && fs.existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/** TypeScript for this thread: the minified copy when there is one (loaded once), else the package. */
export function loadTypescript(vendorDir = VENDOR_DIR): typeof TS {
  const installed = require.resolve('typescript');
  const loaded = require.cache[installed];
  if (loaded) return loaded.exports as typeof TS;
  const copy = minifiedTypescript(vendorDir);
  if (copy) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const ts = require(copy) as typeof TS;
      require.cache[installed] = require.cache[copy];
      return ts;
    } catch {
      // A damaged copy: the package's own file still works.
      delete require.cache[copy];
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('typescript') as typeof TS;
}
