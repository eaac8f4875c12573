// Compiles a DAP breakpoint's condition, hitCondition and logMessage into one V8 breakpoint
// condition, so V8 decides in the paused frame without a round trip to the adapter:
// condition errors count as false, hits are counted in a hidden Symbol-keyed global object,
// and a logpoint logs through the runner's console (the notebook's stderr/stdout) and never pauses.

import * as vm from 'node:vm';

/** Where hit counters live in the debuggee (not a string key, so never a "user global"). */
const HITS = "globalThis[Symbol.for('tskernel.hits')]";

export interface BreakpointOptions {
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export interface CompiledCondition {
  /** The V8 condition ('' = unconditional). */
  condition: string;
  /** Set when an option was invalid: the breakpoint is reported unverified with this message. */
  error?: string;
}

const HIT_RE = /^\s*(>=|<=|==|===|=|>|<|%)?\s*(\d+)\s*$/;

/** Parses a hit condition into a JS comparison against `n` (the hit number), or undefined. */
export function hitTest(hitCondition: string): string | undefined {
  const m = HIT_RE.exec(hitCondition);
  if (!m) return undefined;
  const k = Number(m[2]);
  switch (m[1] ?? '>=') {
    case '>=':
      return `n >= ${k}`;
    case '<=':
      return `n <= ${k}`;
    case '>':
      return `n > ${k}`;
    case '<':
      return `n < ${k}`;
    case '%':
      return k === 0 ? 'false' : `n % ${k} === 0`;
    default:
      return `n === ${k}`;
  }
}

/** Splits a logpoint message into literal text and `{expression}` holes (braces nest). */
export function parseLogMessage(message: string): { format: string; args: string[] } {
  let format = '';
  const args: string[] = [];
  let i = 0;
  while (i < message.length) {
    const ch = message[i];
    if (ch === '{') {
      let depth = 1;
      let j = i + 1;
      while (j < message.length && depth > 0) {
        if (message[j] === '{') depth++;
        else if (message[j] === '}') depth--;
        j++;
      }
      if (depth !== 0) {
        format += message.slice(i).replace(/%/g, '%%');
        break;
      }
      const expr = message.slice(i + 1, j - 1).trim();
      if (expr) {
        format += '%s';
        args.push(expr);
      }
      i = j;
    } else {
      format += ch === '%' ? '%%' : ch;
      i++;
    }
  }
  return { format, args };
}

/** Throws a SyntaxError if `expr` is not a valid JS expression. Compiles only; runs nothing. */
export function checkExpression(expr: string): void {
  new vm.Script(`(${expr}\n)`, { filename: 'tskernel-condition' });
}

function syntaxError(what: string, expr: string): string | undefined {
  try {
    checkExpression(expr);
    return undefined;
  } catch (e) {
    return `Invalid ${what} '${expr}': ${(e as Error).message}`;
  }
}

/**
 * Builds the V8 condition. `key` identifies the breakpoint's hit counter (stable per breakpoint
 * and target), `path` labels logpoint errors.
 */
export function compileCondition(opts: BreakpointOptions, key: string): CompiledCondition {
  const parts: string[] = [];
  if (opts.condition?.trim()) {
    const err = syntaxError('condition', opts.condition);
    if (err) return { condition: '', error: err };
    // An arrow keeps `this`/`arguments` of the paused frame; eval keeps its scope.
    parts.push(`(() => { try { return !!eval(${JSON.stringify(opts.condition)}); } catch { return false; } })()`);
  }
  if (opts.hitCondition?.trim()) {
    const test = hitTest(opts.hitCondition);
    if (!test) return { condition: '', error: `Invalid hit condition '${opts.hitCondition}': expected a number, optionally after >, >=, <, <=, == or %` };
    const k = JSON.stringify(key);
    parts.push(`(() => { const h = (${HITS} ??= Object.create(null)); const n = h[${k}] = (h[${k}] || 0) + 1; return ${test}; })()`);
  }
  if (opts.logMessage !== undefined && opts.logMessage !== '') {
    const { format, args } = parseLogMessage(opts.logMessage);
    for (const a of args) {
      const err = syntaxError('logpoint expression', a);
      if (err) return { condition: '', error: err };
    }
    const values = args.map((a) => `(() => { try { return eval(${JSON.stringify(a)}); } catch (e) { return '<' + (e && e.message) + '>'; } })()`);
    parts.push(`(console.log(${[JSON.stringify(format), ...values].join(', ')}), false)`);
  }
  return { condition: parts.join(' && ') };
}

/** Resets hit counters for the given keys (when a breakpoint is removed or re-created). */
export function resetHitsExpression(keys: string[]): string {
  return `(() => { const h = ${HITS}; if (h) for (const k of ${JSON.stringify(keys)}) delete h[k]; })()`;
}
