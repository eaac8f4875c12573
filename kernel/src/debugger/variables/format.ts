// How a V8 RemoteObject is shown in JupyterLab's Variables panel. JupyterLab's tree displays the
// *type* instead of the value unless the type is int/float/str/bool (Python-shaped UI), so JS
// primitives map to those names; objects show their class name (like Python's `list`/`dict`)
// with a one-line preview as the value; values without a good type name omit `type`, which makes
// JupyterLab show the value text verbatim.

import type { Protocol } from 'devtools-protocol';

type RemoteObject = Protocol.Runtime.RemoteObject;
type ObjectPreview = Protocol.Runtime.ObjectPreview;
type PropertyPreview = Protocol.Runtime.PropertyPreview;

export interface Shown {
  value: string;
  /** Omitted when JupyterLab should display `value` as-is. */
  type?: string;
  /** True when the object has children worth a variablesReference. */
  expandable: boolean;
}

const MAX_VALUE = 1000;

export function quoteString(s: string, max = MAX_VALUE): string {
  const body = s.length > max ? s.slice(0, max) + '…' : s;
  return "'" + body.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t') + "'";
}

function clip(s: string, max = MAX_VALUE): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}

/** A parameter list on one line: type stripping leaves runs of spaces where the types were. */
function params(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/ ,/g, ',').trim();
}

/** First line of a function's source, e.g. `ƒ add(a, b)` / `class Foo`. */
export function functionSignature(description: string | undefined, className?: string): string {
  const text = (description ?? '').trim();
  if (/^class\b/.test(text)) return clip(text.split('{')[0].trim(), 200);
  if (className === 'Function' || className === 'AsyncFunction' || className === 'GeneratorFunction' || !className) {
    const head = text.split('\n')[0];
    const m = /^(async\s+)?function\s*\*?\s*([\w$]*)\s*\(([^)]*)\)/.exec(head);
    if (m) return `ƒ ${m[1] ?? ''}${m[2]}(${params(m[3])})`;
    const arrow = /^(async\s+)?(\([^)]*\)|[\w$]+)\s*=>/.exec(head);
    if (arrow) return `ƒ ${arrow[1] ?? ''}${arrow[2].startsWith('(') ? arrow[2] : `(${arrow[2]})`} =>`;
    const method = /^(async\s+)?\*?\s*([\w$]+)\s*\(([^)]*)\)/.exec(head);
    if (method) return `ƒ ${method[1] ?? ''}${method[2]}(${params(method[3])})`;
  }
  return clip(text.split('\n')[0], 200);
}

function numberType(n: number | undefined, unserializable?: string): string {
  if (unserializable !== undefined) return 'float';
  return n !== undefined && Number.isSafeInteger(n) && !Object.is(n, -0) ? 'int' : 'float';
}

function previewValue(p: PropertyPreview | { type: string; value?: string; subtype?: string }): string {
  switch (p.type) {
    case 'string':
      return quoteString(p.value ?? '', 100);
    case 'object':
      if (p.subtype === 'null') return 'null';
      if (p.value === 'Object' || p.value === undefined) return '{…}';
      return p.value;
    case 'function':
      return 'ƒ';
    default:
      return p.value ?? p.type;
  }
}

function keyText(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) || /^\d+$/.test(name) ? name : quoteString(name, 100);
}

/** One-line preview of an object, in the spirit of Chrome's console. */
export function formatPreview(preview: ObjectPreview, className: string | undefined): string {
  const more = preview.overflow ? ', …' : '';
  const props = preview.properties ?? [];
  switch (preview.subtype) {
    case 'array':
    case 'typedarray': {
      const items: string[] = [];
      for (const p of props) {
        if (/^\d+$/.test(p.name)) items.push(previewValue(p));
        else if (p.name !== 'length') items.push(`${keyText(p.name)}: ${previewValue(p)}`);
      }
      return `${preview.description ?? className ?? 'Array'} [${items.join(', ')}${more}]`;
    }
    case 'map':
    case 'weakmap':
      return `${preview.description ?? className} {${(preview.entries ?? [])
        .map((e) => `${e.key ? formatPreview(e.key, undefined) : '?'} => ${formatPreview(e.value, undefined)}`)
        .join(', ')}${more}}`;
    case 'set':
    case 'weakset':
      return `${preview.description ?? className} {${(preview.entries ?? []).map((e) => formatPreview(e.value, undefined)).join(', ')}${more}}`;
    case 'error':
    case 'regexp':
    case 'date':
      return clip((preview.description ?? '').split('\n')[0]);
    default:
      break;
  }
  if (preview.type !== 'object') return preview.description ?? preview.type;
  if (preview.subtype === 'null') return 'null';
  // Nested entry previews of primitives come with only a description.
  if (!preview.properties) return preview.description ?? '{…}';
  const body = props.map((p) => `${keyText(p.name)}: ${previewValue(p)}`).join(', ');
  const name = preview.description && preview.description !== 'Object' ? preview.description + ' ' : '';
  return clip(`${name}{${body}${more}}`);
}

/** Whether the adapter should ask the debuggee for a preview body (see remote.ts previewValues). */
export function wantsPreview(obj: RemoteObject): boolean {
  return obj.type === 'object' && !!obj.objectId && !['null', 'proxy', 'error', 'date', 'regexp', 'promise', 'weakmap', 'weakset', 'generator', 'iterator'].includes(obj.subtype ?? '');
}

/** The display of any RemoteObject; `body` is a debuggee-made preview like `[1, 2, …]` or `{a: 1}`. */
export function showRemote(obj: RemoteObject, body?: string): Shown {
  switch (obj.type) {
    case 'string':
      return { value: quoteString(String(obj.value ?? '')), type: 'str', expandable: false };
    case 'number':
      return { value: obj.unserializableValue ?? obj.description ?? String(obj.value), type: numberType(obj.value as number | undefined, obj.unserializableValue), expandable: false };
    case 'boolean':
      return { value: String(obj.value), type: 'bool', expandable: false };
    case 'undefined':
      return { value: 'undefined', type: 'undefined', expandable: false };
    case 'bigint':
      return { value: obj.unserializableValue ?? obj.description ?? '', expandable: false };
    case 'symbol':
      return { value: obj.description ?? 'Symbol()', expandable: false };
    case 'function':
      return { value: functionSignature(obj.description, obj.className), type: 'function', expandable: true };
    default:
      break;
  }
  if (obj.subtype === 'null') return { value: 'null', type: 'null', expandable: false };
  const type = obj.className ?? 'Object';
  const description = (obj.description ?? type).split('\n')[0];
  let value: string;
  if (body) {
    const indexedOrKeyed = obj.subtype === 'array' || obj.subtype === 'typedarray' || obj.subtype === 'map' || obj.subtype === 'set';
    value = indexedOrKeyed ? `${description} ${body}` : type === 'Object' ? body : `${type} ${body}`;
  } else if (obj.preview) value = formatPreview(obj.preview, obj.className);
  else value = description;
  return { value: clip(value), type, expandable: !!obj.objectId };
}

/** `parent.child` / `parent[0]` / `parent["odd key"]`, for DAP evaluateName. */
export function childExpression(parent: string | undefined, name: string, isIndex = false): string {
  if (!parent) return name;
  if (isIndex || /^\d+$/.test(name)) return `${parent}[${name}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(name)) return `${parent}.${name}`;
  return `${parent}[${JSON.stringify(name)}]`;
}

/** Length/size parsed from a description like `Array(1000000)` or `Map(3)`. */
export function collectionSize(description: string | undefined): number | undefined {
  const m = /\((\d+)\)/.exec(description ?? '');
  return m ? Number(m[1]) : undefined;
}
