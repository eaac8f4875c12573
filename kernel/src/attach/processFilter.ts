// Which of the user's Node processes discovery offers, and how it names them. Hidden: tskernel's
// own processes (kernels and runners, this notebook's or another's: attaching to them breaks the
// notebook), Jupyter's own processes and package-manager/build tooling (npm, npx, yarn, the
// JupyterLab build). Shown with a short label (`server.js (pid 4242)`); the redacted command
// line is a separate field for a tooltip.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { redactArgv, redactText } from './redact';

/** Node options whose value is the next argv entry (so it is not the script). */
const OPTIONS_WITH_VALUE = new Set([
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '-C',
  '--conditions',
  '--title',
  '--env-file',
  '--inspect-port',
  '--debug-port',
  '--input-type',
  '--stack-size',
  '--max-old-space-size',
]);
/** Node options after which there is no script (the code is inline). */
const INLINE = new Set(['-e', '--eval', '-p', '--print', '-i', '--interactive', '-']);

/** The script a Node command line runs (its first operand), or undefined (REPL, -e, only options). */
export function scriptOf(argv: readonly string[]): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (INLINE.has(a)) return undefined;
    if (a === '--') return argv[i + 1];
    if (a.startsWith('-')) {
      if (OPTIONS_WITH_VALUE.has(a)) i++;
      continue;
    }
    return a;
  }
  return undefined;
}

/** `server.js (pid 4242)`: the script's file name, or the executable's name without a script. */
export function processLabel(pid: number, argv: readonly string[]): string {
  const script = scriptOf(argv);
  const name = script ? path.basename(script) : argv[0] ? path.basename(argv[0]) : 'node';
  return `${redactText(name).slice(0, 80)} (pid ${pid})`;
}

/** The command line as shown in a tooltip: secrets masked, length capped. */
export function shownCommand(argv: readonly string[], max = 300): string {
  return redactArgv(argv).join(' ').slice(0, max);
}

const KERNEL_ROOT = path.resolve(__dirname, '..', '..');
function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
/** tskernel's own entry points, in this installation and in any other one. */
const OWN_ENTRIES = new Set(['cli/main.js', 'runtime/runner/main.js'].flatMap((e) => [path.join(KERNEL_ROOT, 'dist', e), real(path.join(KERNEL_ROOT, 'dist', e))]));
const ANY_TSKERNEL_ENTRY = /(^|[/\\])tskernel([/\\]kernel)?[/\\]dist[/\\](cli|runtime[/\\]runner)[/\\]main\.js$|(^|[/\\])tskernel$/;

/** Package managers, Jupyter's own Node processes and the JupyterLab build. */
const TOOLING = /^(npm-cli\.js|npx-cli\.js|npm|npx|yarn(\.c?js)?|pnpm(\.c?js)?|corepack|jlpm|configurable-http-proxy)$/;
const JUPYTER = /^(jupyter|jupyter-(lab|server|notebook|labhub)|jupyterhub(-singleuser)?)$/;
const JUPYTER_PATHS = /[/\\](jupyterlab[/\\]staging|site-packages[/\\]jupyter\w*|share[/\\]jupyter[/\\]lab[/\\]staging)[/\\]/;

/** Why a command line is never offered (undefined: it may be shown). */
export function hiddenReason(argv: readonly string[]): string | undefined {
  const script = scriptOf(argv);
  if (script && (OWN_ENTRIES.has(script) || OWN_ENTRIES.has(real(script)) || ANY_TSKERNEL_ENTRY.test(script))) return 'a tskernel kernel or runner';
  const names = [argv[0], script].filter((x): x is string => !!x).map((x) => path.basename(x));
  if (names.some((n) => TOOLING.test(n))) return 'package manager or Jupyter tooling';
  if (names.some((n) => JUPYTER.test(n)) || argv.slice(0, 4).some((a) => JUPYTER_PATHS.test(a))) return 'a Jupyter process';
  return undefined;
}
