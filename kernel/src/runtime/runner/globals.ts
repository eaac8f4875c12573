// The names cells see besides JavaScript's own: display, comms, prompt/input, require, module,
// exports, __filename, __dirname, the import helper, the other kernels' globals (compat/), and the
// internal object the debugger reads through CDP (Symbol.for('tskernel.runner')). Also answers
// which globals the user defined. A cell may shadow `display` with its own; the kernel's own
// function is frozen and the runner, shims and `tskernel/display` keep using it.

import * as path from 'node:path';
import { IMPORT_HELPER } from '../../lang/transpile/names';
import { comms } from './comms';
import { COMPAT_GLOBALS, installCompatGlobals } from './compat';
import { display } from './display';
import { mimeBundle, inspectPlain } from './format';
import { importFromNotebook, notebookRequire } from './imports';
import { input, prompt } from './stdin';

const KERNEL_GLOBALS = ['display', 'comms', 'prompt', 'input', 'require', 'module', 'exports', '__filename', '__dirname', IMPORT_HELPER, ...COMPAT_GLOBALS];
let baseline = new Set<string>();

export function installGlobals(notebookDir: string): void {
  const g = globalThis as Record<string, unknown>;
  const req = notebookRequire(notebookDir);
  const mod = { exports: {}, require: req, id: '.', filename: path.join(notebookDir, '[notebook]'), loaded: true, paths: req.resolve.paths('x') ?? [] };
  const define = (name: string, value: unknown, enumerable = true): void => {
    Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable });
  };
  define('display', Object.freeze(display));
  define('comms', comms);
  define('prompt', prompt);
  define('input', input);
  define('require', req);
  define('module', mod);
  define('exports', mod.exports);
  define('__filename', mod.filename);
  define('__dirname', notebookDir);
  define(IMPORT_HELPER, (spec: unknown) => importFromNotebook(String(spec), notebookDir), false);
  installCompatGlobals();
  Object.defineProperty(g, Symbol.for('tskernel.runner'), {
    value: { mimeBundle, userGlobalNames, display, inspect: inspectPlain },
    enumerable: false,
    configurable: false,
  });
  baseline = new Set([...Object.getOwnPropertyNames(globalThis), ...KERNEL_GLOBALS]);
}

/** Globals defined by cells: everything on globalThis that was not there when the runner started. */
export function userGlobalNames(): string[] {
  return Object.getOwnPropertyNames(globalThis).filter((n) => !baseline.has(n));
}

const MEMBER_CHAIN = /^[A-Za-z_$][\w$]*(?:\s*\??\.\s*[A-Za-z_$][\w$]*)*$/;

/** Evaluates a side-effect-free member chain (`a.b.c`) for runtime completions and previews. */
function resolveChain(expression: string): { ok: boolean; value?: unknown } {
  const expr = expression.trim();
  if (!MEMBER_CHAIN.test(expr)) return { ok: false };
  let value: unknown = globalThis;
  for (const part of expr.split(/\s*\??\.\s*/)) {
    if (value === null || value === undefined) return { ok: false };
    const holder = Object(value) as Record<string, unknown>;
    const desc = findDescriptor(holder, part);
    if (!desc) {
      // Script-scope bindings are not on globalThis; cells declare with var, so this is rare.
      return { ok: false };
    }
    if (desc.get) return { ok: false }; // never run getters for completion
    value = desc.value;
  }
  return { ok: true, value };
}

function findDescriptor(obj: object, key: string): PropertyDescriptor | undefined {
  for (let o: object | null = obj; o; o = Object.getPrototypeOf(o) as object | null) {
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d) return d;
  }
  return undefined;
}

export function memberNames(expression: string): string[] {
  const r = resolveChain(expression);
  if (!r.ok || r.value === null || r.value === undefined) return [];
  const names = new Set<string>();
  for (let o: object | null = Object(r.value) as object; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const n of Object.getOwnPropertyNames(o)) if (n !== 'constructor' && !/^\d+$/.test(n)) names.add(n);
  }
  return [...names].sort();
}

export function previewOf(expression: string): string | undefined {
  const r = resolveChain(expression);
  if (!r.ok) return undefined;
  const text = inspectPlain(r.value);
  return text.length > 2000 ? text.slice(0, 2000) + '…' : text;
}
