// Module customization hooks (run on Node's loader thread): resolve `./x.js` to `./x.ts` when
// only the TypeScript file exists, and load .ts/.mts files as ES modules with types stripped
// (positions kept, so the debugger can show the file as written) and .tsx files as ES modules
// through the TypeScript transform (JSX with the automatic React runtime); code that had to move
// carries an inline source map back to the file as written (moduleSource.ts).

import * as fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileModule } from './moduleSource';

interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (spec: string, ctx: ResolveContext) => Promise<{ url: string; format?: string }>;
type NextLoad = (url: string, ctx: unknown) => Promise<{ format: string; source?: string | Buffer }>;

export async function resolve(spec: string, ctx: ResolveContext, next: NextResolve): Promise<{ url: string; format?: string; shortCircuit?: boolean }> {
  try {
    return await next(spec, ctx);
  } catch (e) {
    if (!ctx.parentURL?.startsWith('file:') || !/^\.{1,2}\//.test(spec)) throw e;
    const base = new URL(spec, ctx.parentURL);
    const p = fileURLToPath(base);
    const candidates = [p.replace(/\.(c|m)?js$/, '.$1ts'), p.replace(/\.jsx$/, '.tsx'), p + '.ts', p + '.tsx', p + '.mts', `${p}/index.ts`, `${p}/index.tsx`];
    for (const c of candidates) {
      if (c !== p && fs.existsSync(c) && fs.statSync(c).isFile()) return { url: pathToFileURL(c).href, shortCircuit: true };
    }
    throw e;
  }
}

const ESM_SYNTAX = /^\s*(import\s*[\w*{'"]|export\s)/m;

export async function load(url: string, ctx: unknown, next: NextLoad): Promise<unknown> {
  if (url.startsWith('file:') && url.endsWith('.tsx')) {
    const file = fileURLToPath(url);
    return { format: 'module', source: compileModule(fs.readFileSync(file, 'utf8'), file), shortCircuit: true };
  }
  if (url.startsWith('file:') && /\.(m?ts)$/.test(url)) {
    const file = fileURLToPath(url);
    const source = fs.readFileSync(file, 'utf8');
    // CommonJS-style .ts files go to the CJS loader (require.extensions['.ts'] in the runner).
    if (url.endsWith('.ts') && !ESM_SYNTAX.test(source)) return { format: 'commonjs', shortCircuit: true };
    return { format: 'module', source: compileModule(source, file), shortCircuit: true };
  }
  return next(url, ctx);
}
