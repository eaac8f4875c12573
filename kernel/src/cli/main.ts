#!/usr/bin/env node
// The `tskernel` command: `tskernel kernel -f <connection file> [--language ts|js]` runs a kernel
// (what kernelspecs invoke), `tskernel install [--user|--sys-prefix|--prefix DIR]` writes the
// kernelspecs plus the JupyterLab extension (the debugger's "Node processes" section) and default
// variable filters into that Jupyter data directory, `tskernel uninstall` removes them.

import { startKernel } from '../app/kernelApp';
import { install, uninstall, type InstallTarget } from './install';

function usage(): never {
  process.stderr.write(
    [
      'usage:',
      '  tskernel install [--user | --sys-prefix | --prefix DIR] [--no-labextension]',
      '  tskernel uninstall [--user | --sys-prefix | --prefix DIR]',
      '  tskernel kernel -f CONNECTION_FILE [--language typescript|javascript]',
      '',
    ].join('\n'),
  );
  process.exit(2);
}

function installTarget(args: string[]): InstallTarget {
  if (args.includes('--sys-prefix')) return { kind: 'sys-prefix' };
  const i = args.indexOf('--prefix');
  if (i >= 0) {
    if (!args[i + 1]) usage();
    return { kind: 'prefix', dir: args[i + 1] };
  }
  return { kind: 'user' };
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...args] = argv;
  switch (cmd) {
    case 'install': {
      const options = args.includes('--no-labextension') ? { labextension: null } : {};
      for (const line of install(installTarget(args), options)) process.stdout.write(line + '\n');
      return;
    }
    case 'uninstall': {
      for (const line of uninstall(installTarget(args))) process.stdout.write(line + '\n');
      return;
    }
    case 'kernel': {
      const f = args.indexOf('-f');
      if (f < 0 || !args[f + 1]) usage();
      const l = args.indexOf('--language');
      const lang = l >= 0 ? args[l + 1] : 'typescript';
      if (lang !== 'typescript' && lang !== 'javascript') usage();
      await startKernel({ connectionFile: args[f + 1], language: lang });
      return;
    }
    default:
      usage();
  }
}

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`tskernel: ${e.message}\n`);
  process.exit(1);
});
