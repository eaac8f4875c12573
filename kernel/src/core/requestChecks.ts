// Cheap shape checks of request content whose fields are obviously wrong (a `code` that is not a
// string, a cursor that is not an index). Such a request gets an error reply saying what is wrong
// instead of silently running nothing. Each check returns the problem, or undefined when fine.

export const BAD_REQUEST = 'BadRequest';

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : v === undefined ? 'missing' : typeof v);

/** An error reply's fields for a malformed request (the handler adds what its reply needs). */
export function badRequest(msgType: string, problem: string): { status: 'error'; ename: string; evalue: string; traceback: string[] } {
  const evalue = `${msgType}: ${problem}`;
  return { status: 'error', ename: BAD_REQUEST, evalue, traceback: [`${BAD_REQUEST}: ${evalue}`] };
}

export function checkCode(c: Record<string, unknown>): string | undefined {
  return typeof c.code === 'string' ? undefined : `'code' must be a string (got ${typeName(c.code)})`;
}

export function checkExecute(c: Record<string, unknown>): string | undefined {
  const code = checkCode(c);
  if (code) return code;
  const ue = c.user_expressions;
  if (ue !== undefined && ue !== null) {
    if (typeof ue !== 'object' || Array.isArray(ue)) return `'user_expressions' must be an object (got ${typeName(ue)})`;
    const bad = Object.entries(ue).find(([, v]) => typeof v !== 'string');
    if (bad) return `'user_expressions.${bad[0]}' must be a string (got ${typeName(bad[1])})`;
  }
  return undefined;
}

/**
 * complete/inspect/is_complete: `code`, when given, a string (missing means empty: these are
 * tolerated as before), and `cursor_pos`, when given, a non-negative integer.
 */
export function checkOptionalCode(c: Record<string, unknown>): string | undefined {
  return c.code === undefined ? undefined : checkCode(c);
}

export function checkCodeCursor(c: Record<string, unknown>): string | undefined {
  const code = checkOptionalCode(c);
  if (code) return code;
  const cp = c.cursor_pos;
  if (cp !== undefined && cp !== null && !(typeof cp === 'number' && Number.isInteger(cp) && cp >= 0)) {
    return `'cursor_pos' must be a non-negative integer (got ${typeof cp === 'number' ? cp : typeName(cp)})`;
  }
  return undefined;
}

/** `user_expressions` after checkExecute: its string entries (missing or null: none). */
export function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}
