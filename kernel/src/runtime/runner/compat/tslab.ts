// The `tslab` module for notebooks written for tslab (`import * as tslab from 'tslab'`,
// `require('tslab')`), used when the notebook has no tslab package of its own: `display.*`
// shows one representation each, `newDisplay()` gives a display whose later calls replace its
// output, `versions` says what runs the notebook.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { display as kernelDisplay, plainFor } from '../display';

/** tslab's display interface: each call shows its content (or updates, for `newDisplay()`). */
export interface Display {
  javascript(s: string): void;
  html(s: string): void;
  markdown(s: string): void;
  latex(s: string): void;
  svg(s: string): void;
  png(b: Uint8Array): void;
  jpeg(b: Uint8Array): void;
  gif(b: Uint8Array): void;
  pdf(b: Uint8Array): void;
  text(s: string): void;
  raw(contentType: string, b: string | Uint8Array): void;
}

function makeDisplay(id?: string): Display {
  let shown = false;
  const raw = (contentType: string, b: string | Uint8Array): void => {
    const data: Record<string, unknown> = { [contentType]: typeof b === 'string' ? b : Buffer.from(b).toString('base64') };
    if (contentType !== 'text/plain') data['text/plain'] = plainFor(contentType, b);
    if (!id) kernelDisplay(data, { raw: true });
    else kernelDisplay(data, { raw: true, display_id: id, update: shown });
    shown = true;
  };
  return {
    javascript: (s) => raw('application/javascript', s),
    html: (s) => raw('text/html', s),
    markdown: (s) => raw('text/markdown', s),
    latex: (s) => raw('text/latex', s),
    svg: (s) => raw('image/svg+xml', s),
    png: (b) => raw('image/png', b),
    jpeg: (b) => raw('image/jpeg', b),
    gif: (b) => raw('image/gif', b),
    pdf: (b) => raw('application/pdf', b),
    text: (s) => raw('text/plain', String(s)),
    raw,
  };
}

export const display: Display = makeDisplay();

/** A display bound to one output: the first call shows it, later calls replace it. */
export function newDisplay(): Display {
  return makeDisplay(randomUUID());
}

function versionOf(packageJson: string): string {
  try {
    return String((JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

function typescriptVersion(): string {
  try {
    return versionOf(require.resolve('typescript/package.json'));
  } catch {
    return 'unknown';
  }
}

/** What runs the notebook: tslab's field names, tskernel's versions. */
export const versions: { tslab: string; typescript: string; node: string } = {
  tslab: `tskernel ${versionOf(path.join(__dirname, '..', '..', '..', '..', 'package.json'))}`,
  typescript: typescriptVersion(),
  node: process.version,
};

export function isNode(): boolean {
  return true;
}

export function isBrowser(): boolean {
  return false;
}
