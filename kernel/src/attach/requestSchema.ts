// The arguments of the attach requests (listen, listTargets, attachTarget, detachTarget) checked
// against attach.schema.json, the one statement of their rules: the kernel does not re-code them.
// The four `arguments` schemas are compiled by ajv once, on the first attach request (ajv itself
// loads only then, so a kernel nobody attaches with never pays for it), and a refusal
// becomes one sentence for the user that names the argument and what the schema asks of it.

import type { default as Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import schema from './attach.schema.json';
import type { AttachTargetArguments, DetachTargetArguments, ListenArguments, ListTargetsArguments } from './requests';

/** command -> its arguments, as the kernel uses them once the schema has accepted them. */
export interface AttachRequestArguments {
  listen: ListenArguments;
  listTargets: ListTargetsArguments;
  attachTarget: AttachTargetArguments;
  detachTarget: DetachTargetArguments;
}
export type AttachRequestCommand = keyof AttachRequestArguments;

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** The part of a request's schema this module reads: whether `arguments` may be left out, and its schema. */
interface RequestDef {
  required: string[];
  properties: { arguments: object };
}

const REQUESTS: { [K in AttachRequestCommand]: RequestDef } = {
  listen: schema.$defs.listenRequest,
  listTargets: schema.$defs.listTargetsRequest,
  attachTarget: schema.$defs.attachTargetRequest,
  detachTarget: schema.$defs.detachTargetRequest,
};

type Validators = { [K in AttachRequestCommand]: ValidateFunction<AttachRequestArguments[K]> };

let validators: Validators | undefined;

/** The four validators, compiled together on the first attach request. */
function compileAll(): Validators {
  // Loaded lazily, the code base's idiom for it: the kernel's startup does not load ajv. Checking
  // the schema against the 2020-12 meta-schema would compile that one too (most of the cost of a
  // first request): the unit test does it instead; `optimize` gains nothing on schemas this small.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = (require('ajv/dist/2020') as typeof import('ajv/dist/2020')).default;
  const ajv: Ajv2020 = new Ajv({ allErrors: false, verbose: true, strict: true, validateSchema: false, code: { optimize: false } });
  const args = (command: AttachRequestCommand): object => REQUESTS[command].properties.arguments;
  return {
    listen: ajv.compile<ListenArguments>(args('listen')),
    listTargets: ajv.compile<ListTargetsArguments>(args('listTargets')),
    attachTarget: ajv.compile<AttachTargetArguments>(args('attachTarget')),
    detachTarget: ajv.compile<DetachTargetArguments>(args('detachTarget')),
  };
}

/** `args` if the schema accepts them as `command`'s arguments (left out = {} where optional), else why not. */
export function checkAttachArguments<K extends AttachRequestCommand>(command: K, args: unknown): Checked<AttachRequestArguments[K]> {
  const value = args === undefined && !REQUESTS[command].required.includes('arguments') ? {} : args;
  validators ??= compileAll();
  const validate = validators[command];
  if (validate(value)) return { ok: true, value };
  return { ok: false, message: explain(command, value, validate.errors ?? []) };
}

/** One readable sentence from ajv's errors (allErrors off: the first failure, plus each oneOf branch's). */
function explain(command: string, data: unknown, errors: ErrorObject[]): string {
  const oneOf = errors.find((e) => e.keyword === 'oneOf');
  if (!oneOf) return errors.length ? sentence(command, errors[0]) : `invalid arguments for ${command}`;
  // The branches are the ways to call the command, each told apart by the keys it requires: the
  // one whose keys are all present is what the user meant, and its own complaint is the message.
  const branches: unknown[] = Array.isArray(oneOf.schema) ? oneOf.schema : [];
  const keys = branches.map((b) => (isObject(b) && Array.isArray(b.required) ? b.required.map(String) : []));
  const at = dataAt(data, oneOf.instancePath);
  // Not even an object: every branch says so, once is enough.
  const notObject = isObject(at) ? undefined : errors.find((e) => e.keyword === 'type' && e.instancePath === oneOf.instancePath);
  if (notObject) return sentence(command, notObject);
  const meant = keys.flatMap((ks, i) => (ks.length && isObject(at) && ks.every((k) => at[k] !== undefined) ? [i] : []));
  if (meant.length === 1) {
    const prefix = `${oneOf.schemaPath}/${meant[0]}/`;
    const own = errors.find((e) => e.schemaPath.startsWith(prefix));
    if (own) return sentence(command, own);
  }
  const ways = keys.map((ks) => ks.join(' + '));
  return `${command} takes exactly one of ${ways.slice(0, -1).join(', ')} or ${ways.at(-1) ?? ''}`;
}

function sentence(command: string, e: ErrorObject): string {
  const name = argumentName(e.instancePath);
  const parent: unknown = e.parentSchema;
  // The schema's description of the argument, as an aside: "Bind address." -> " (bind address)".
  const about = isObject(parent) && typeof parent.description === 'string' ? ` (${parent.description.charAt(0).toLowerCase()}${parent.description.slice(1).replace(/\.$/, '')})` : '';
  const p: Record<string, unknown> = e.params;
  switch (e.keyword) {
    case 'type':
      return `'${name}' must be ${TYPE_NAMES[String(p.type)] ?? String(p.type)}${about}`;
    case 'minimum':
    case 'maximum': {
      const min = isObject(parent) ? parent.minimum : undefined;
      const max = isObject(parent) ? parent.maximum : undefined;
      if (min !== undefined && max !== undefined) return `'${name}' must be between ${String(min)} and ${String(max)}${about}`;
      return `'${name}' must be ${String(p.limit)} or ${e.keyword === 'minimum' ? 'more' : 'less'}${about}`;
    }
    case 'maxItems':
      return `'${name}' must be a list of at most ${String(p.limit)} items${about}`;
    case 'required':
      return `${command} needs '${String(p.missingProperty)}'`;
    case 'additionalProperties': {
      const allowed = isObject(parent) && isObject(parent.properties) ? Object.keys(parent.properties) : [];
      return `${command} has no argument '${String(p.additionalProperty)}' (it takes ${allowed.join(', ')})`;
    }
    default:
      return `'${name}' ${e.message ?? 'is not valid'}${about}`;
  }
}

const TYPE_NAMES: Record<string, string> = { integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', object: 'an object', array: 'a list' };

/** "" -> arguments, "/port" -> port, "/ports/3" -> ports[3] (JSON pointer, RFC 6901). */
function argumentName(pointer: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (!parts.length) return 'arguments';
  return parts.map((s, i) => (i > 0 && /^\d+$/.test(s) ? `[${s}]` : i > 0 ? `.${s}` : s)).join('');
}

function dataAt(data: unknown, pointer: string): unknown {
  let at = data;
  for (const part of pointer.split('/').slice(1)) at = isObject(at) ? at[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return at;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
