#!/usr/bin/env node
// The `tskernel` command: `tskernel kernel -f <connection file> [--language ts|js]` runs a kernel
// (what kernelspecs invoke), `tskernel install [--user|--sys-prefix|--prefix DIR]` writes the
// kernelspecs plus the JupyterLab extension (the debugger's "Node processes" section) and default
// variable filters into that Jupyter data directory (refusing to replace another kernel's
// kernelspec of the same name unless --force), `tskernel uninstall` removes them. Also
// `tskernel agent-file` (the debug agent as one file to copy next to an app), --help, --version.
// `tskernel launch …` is the kernel started by a Jupyter gateway's provisioner (launcher/launch.ts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { startKernel } from '../app/kernelApp';
import type { InstallTarget } from './install';

// Loaded by the commands that use them: `tskernel kernel`, run at every notebook start, needs
// none of these (7 modules, ~8 ms of its start-up).
/* eslint-disable @typescript-eslint/no-require-imports */
const installer = (): typeof import('./install') => require('./install') as typeof import('./install');
const remoteSpecs = (): typeof import('../launcher/kernelspec') => require('../launcher/kernelspec') as typeof import('../launcher/kernelspec');
const launcher = (): typeof import('../launcher/launch') => require('../launcher/launch') as typeof import('../launcher/launch');
const launchOptions = (): typeof import('../launcher/options') => require('../launcher/options') as typeof import('../launcher/options');
/* eslint-enable @typescript-eslint/no-require-imports */

const COMMANDS = [
  '  tskernel install [--user | --sys-prefix | --prefix DIR] [--no-labextension] [--force]',
  '  tskernel install --remote distributed|kubernetes [--language L] [--kernel-name N] [--display-name D]',
  '                   [--remote-hosts H1,H2] [--ip ADDR] [--launch-command CMD] [--image-name IMAGE]',
  '                   [--gateway-scripts DIR] [--port-range L..U] [--launch-timeout S] [--orphan-timeout S] [target as above]',
  '                                   a kernelspec for Gateway Provisioners / Enterprise Gateway',
  '  tskernel uninstall [--user | --sys-prefix | --prefix DIR]',
  '  tskernel kernel -f CONNECTION_FILE [--language typescript|javascript]',
  '  tskernel launch --kernel-id ID --response-address IP:PORT --public-key KEY [--port-range L..U] [--ip ADDR] [--language L] [--orphan-timeout S]',
  '                                   the kernel as a Gateway Provisioners / Enterprise Gateway launcher',
  '  tskernel agent-file [FILE]       the debug agent as one file (stdout or FILE), for --require ./FILE',
  '  tskernel --version | --help',
];

/** Asked-for help goes to stdout (exit 0); a wrong command line gets it on stderr (exit 2). */
function usage(asked = false): never {
  (asked ? process.stdout : process.stderr).write(['usage:', ...COMMANDS, ''].join('\n'));
  process.exit(asked ? 0 : 2);
}

/** This package's version, from its package.json (two levels above dist/cli). */
function version(): string {
  const pkg: unknown = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : 'unknown';
}

/** The single-file agent shipped in this package (built by scripts/build-agent.mjs). */
const AGENT_FILE = path.join(__dirname, '..', '..', 'agent-file', 'tskernel-agent.cjs');

function agentFile(args: string[]): void {
  if (!fs.existsSync(AGENT_FILE)) throw new Error(`the single-file agent is missing (${AGENT_FILE}); in a clone of the repository, run npm run build`);
  const out = args.find((a) => !a.startsWith('-'));
  if (out) {
    fs.copyFileSync(AGENT_FILE, out);
    process.stdout.write(`wrote ${out}: start the app with  TSKERNEL_ATTACH_TOKEN=… node --require ./${path.basename(out)} app.js\n`);
  } else if (process.stdout.isTTY) {
    // Forty kB of JavaScript on a terminal helps nobody: say how to get the file instead.
    process.stdout.write('usage: tskernel agent-file > tskernel-agent.cjs   (or: tskernel agent-file tskernel-agent.cjs)\n');
  } else {
    process.stdout.write(fs.readFileSync(AGENT_FILE));
  }
}

const TARGET_FLAGS = ['--user', '--sys-prefix'];
const INSTALL_FLAGS = [...TARGET_FLAGS, '--no-labextension', '--force'];
const REMOTE_OPTIONS = [
  '--remote',
  '--language',
  '--kernel-name',
  '--display-name',
  '--remote-hosts',
  '--ip',
  '--launch-command',
  '--image-name',
  '--gateway-scripts',
  '--port-range',
  '--launch-timeout',
  '--orphan-timeout',
];

/**
 * Refuses (usage on stderr, exit 2) an option `cmd` does not take, before it changes anything:
 * `install --prefx DIR` must not install for the user instead. `valued` options take the next word.
 */
function checkOptions(cmd: string, args: string[], flags: string[], valued: string[]): void {
  for (let i = 0; i < args.length; i++) {
    if (valued.includes(args[i])) i++;
    else if (!flags.includes(args[i])) {
      process.stderr.write(`tskernel ${cmd}: unknown option "${args[i]}"\n`);
      usage();
    }
  }
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
  // `tskernel install --help` asks for help; it must not install.
  if (cmd !== undefined && (args.includes('--help') || args.includes('-h'))) return usage(true);
  switch (cmd) {
    case 'install': {
      const remote = args.includes('--remote');
      checkOptions(cmd, args, INSTALL_FLAGS, ['--prefix', ...(remote ? REMOTE_OPTIONS : [])]);
      if (remote) {
        const { installRemote, parseRemoteInstallArgs } = remoteSpecs();
        for (const line of installRemote(installTarget(args), parseRemoteInstallArgs(args))) process.stdout.write(line + '\n');
        return;
      }
      const options = { ...(args.includes('--no-labextension') ? { labextension: null } : {}), force: args.includes('--force') };
      for (const line of installer().install(installTarget(args), options)) process.stdout.write(line + '\n');
      return;
    }
    case 'uninstall': {
      checkOptions(cmd, args, TARGET_FLAGS, ['--prefix']);
      for (const line of installer().uninstall(installTarget(args))) process.stdout.write(line + '\n');
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
    case 'launch': {
      const { LaunchUsageError, parseLaunchArgs } = launchOptions();
      let opts;
      try {
        opts = parseLaunchArgs(args);
      } catch (e) {
        if (!(e instanceof LaunchUsageError)) throw e;
        process.stderr.write(`tskernel launch: ${e.message}\n`);
        return usage();
      }
      await launcher().launch(opts);
      return;
    }
    case 'agent-file':
      agentFile(args);
      return;
    case '--version':
    case '-v':
    case 'version':
      process.stdout.write(`tskernel ${version()}\n`);
      return;
    case '--help':
    case '-h':
    case 'help':
      return usage(true);
    case undefined:
      return usage();
    default:
      process.stderr.write(`tskernel: unknown command "${cmd}". Commands:\n${COMMANDS.join('\n')}\n`);
      process.exit(2);
  }
}

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`tskernel: ${e.message}\n`);
  process.exit(1);
});
