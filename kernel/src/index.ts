// `require('tskernel')`: the package's small programmatic API. Installing/uninstalling the
// kernelspecs (what `tskernel install` does), running a kernel on a connection file (what the
// kernelspec's argv does), and the version. The debug agent is `tskernel/agent` (or the separate
// `@tskernel/agent` package); `tskernel/display` is the display function for notebook modules.

import * as fs from 'node:fs';
import * as path from 'node:path';

export { install, uninstall, type InstallOptions, type InstallTarget } from './cli/install';
export { startKernel } from './app/kernelApp';

/** This package's version (from its package.json). */
export const version: string = readVersion();

function readVersion(): string {
  const pkg: unknown = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : 'unknown';
}
