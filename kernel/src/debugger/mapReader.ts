// Reads files a target's scripts refer to (source maps, original sources) for the debugger: from
// this host's disk when the target runs here, else through the target itself (it may run in
// another container or on another host, where its paths are not ours). Everything is size-capped;
// what comes back from a target is treated as untrusted text.

import * as fs from 'node:fs';
import type { ITarget } from '../targets/target';
import { MAX_SOURCE_MAP_BYTES } from './scriptMaps';
import { INTERNAL_URL_SUFFIX } from './scripts';
import { within } from '../common/deadline';

const READ_TIMEOUT_MS = 3000;

async function readLocal(path: string): Promise<string | undefined> {
  try {
    const st = await fs.promises.stat(path);
    if (!st.isFile() || st.size > MAX_SOURCE_MAP_BYTES) return undefined;
    return await fs.promises.readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function readThroughTarget(target: ITarget, path: string): Promise<string | undefined> {
  const expression =
    `(() => { try { const fs = process.getBuiltinModule ? process.getBuiltinModule('fs') : require('fs');` +
    ` const p = ${JSON.stringify(path)}; if (!fs.statSync(p).isFile() || fs.statSync(p).size > ${MAX_SOURCE_MAP_BYTES}) return null;` +
    ` return fs.readFileSync(p, 'utf8'); } catch { return null; } })()\n//# sourceURL=read${INTERNAL_URL_SUFFIX}`;
  try {
    const r = await within(target.cdp.send('Runtime.evaluate', { expression, returnByValue: true, silent: true }), READ_TIMEOUT_MS);
    const v = r?.result?.value;
    return typeof v === 'string' && v.length <= MAX_SOURCE_MAP_BYTES ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Reads an absolute file path as the target sees it. */
export function targetFileReader(target: ITarget): (path: string) => Promise<string | undefined> {
  return (path) => (target.onThisHost ? readLocal(path) : readThroughTarget(target, path));
}
