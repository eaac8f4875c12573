// Errors a handler throws on purpose: a readable message for the user, no stack in the reply.
// Anything else thrown is a bug or a target failure; the adapter still answers (success:false).

export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export function requireNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new UserError(`'${what}' must be a number`);
  return value;
}

export function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new UserError(`'${what}' must be a string`);
  return value;
}

export function requireObject<T extends object>(value: unknown, what: string): T {
  if (typeof value !== 'object' || value === null) throw new UserError(`'${what}' must be an object`);
  return value as T;
}
