// Hands out variablesReferences and turns them into DAP variables. A store lives for one pause
// (or one inspectVariables round when not paused) and owns a CDP object group released with it.
// Large arrays, typed arrays, Maps and Sets are split into range nodes ([0…99], …) because
// JupyterLab never pages; slices are read through small debuggee functions, never through
// getProperties on the whole collection. Getters are shown lazily and run only when expanded.

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Protocol } from 'devtools-protocol';
import type { CdpClient } from '../../targets/cdpClient';
import { childExpression, collectionSize, showRemote } from './format';
import { arraySlice, collectionSlice, fn, invokeGetter, userGlobalsHolder } from './remote';

type RemoteObject = Protocol.Runtime.RemoteObject;
type PropertyDescriptor = Protocol.Runtime.PropertyDescriptor;
type Variable = DebugProtocol.Variable;

/** Children per node: JupyterLab renders every child it gets. */
export const CHUNK = 100;

export type Container =
  | { kind: 'object'; object: RemoteObject; evaluateName?: string }
  | { kind: 'chunk'; object: RemoteObject; start: number; end: number; evaluateName?: string }
  | { kind: 'getter'; owner: RemoteObject; getter: RemoteObject; name: string; evaluateName?: string }
  | { kind: 'entry'; key: RemoteObject; value: RemoteObject; evaluateName?: string }
  /** Merged V8 scopes (inner first; inner names shadow outer), plus synthetic first entries. */
  | { kind: 'scopes'; objects: RemoteObject[]; extras: { name: string; object: RemoteObject }[]; withGlobals?: boolean; callFrameId?: string }
  | { kind: 'globals' };

/** One counter for all stores, so references never collide between a pause and inspectVariables. */
let nextReference = 1;

const HIDDEN_INTERNALS = new Set(['[[Prototype]]', '[[Scopes]]', '[[StableObjectId]]', '[[Entries]]']);
const COLLECTIONS = new Set(['map', 'set']);
const INDEXED = new Set(['array', 'typedarray']);

export class VariableStore {
  private readonly containers = new Map<number, Container>();

  constructor(
    private readonly cdp: CdpClient,
    readonly group: string,
  ) {}

  add(c: Container): number {
    const ref = nextReference++;
    this.containers.set(ref, c);
    return ref;
  }

  has(ref: number): boolean {
    return this.containers.has(ref);
  }

  get(ref: number): Container | undefined {
    return this.containers.get(ref);
  }

  async release(): Promise<void> {
    this.containers.clear();
    if (!this.cdp.isClosed) await this.cdp.send('Runtime.releaseObjectGroup', { objectGroup: this.group }).catch(() => undefined);
  }

  /** A DAP variable for a value, registering a container when it can be expanded. */
  variable(name: string, object: RemoteObject, evaluateName?: string): Variable {
    const shown = showRemote(object);
    const v: Variable = { name, value: shown.value, evaluateName: evaluateName ?? name, variablesReference: 0 };
    if (shown.type !== undefined) v.type = shown.type;
    if (shown.expandable && object.objectId) {
      v.variablesReference = this.add({ kind: 'object', object, evaluateName });
      const size = collectionSize(object.description);
      if (object.subtype && INDEXED.has(object.subtype) && size !== undefined) v.indexedVariables = size;
    }
    if (object.type === 'function') v.presentationHint = { kind: object.className === 'Function' && /^class\b/.test(object.description ?? '') ? 'class' : 'method' };
    return v;
  }

  async children(ref: number, start?: number, count?: number): Promise<Variable[]> {
    const c = this.containers.get(ref);
    if (!c) return [];
    const all = await this.expand(c);
    if (start === undefined && count === undefined) return all;
    const s = start ?? 0;
    return all.slice(s, count ? s + count : undefined);
  }

  private async expand(c: Container): Promise<Variable[]> {
    switch (c.kind) {
      case 'object':
        return this.objectChildren(c.object, c.evaluateName);
      case 'chunk':
        return this.rangeChildren(c.object, c.start, c.end, c.evaluateName);
      case 'getter': {
        const r = await this.cdp.send('Runtime.callFunctionOn', {
          objectId: c.owner.objectId,
          functionDeclaration: fn(invokeGetter),
          arguments: [{ objectId: c.getter.objectId }],
          objectGroup: this.group,
          generatePreview: true,
        });
        if (r.exceptionDetails) return [{ name: c.name, value: `<exception: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}>`, variablesReference: 0, evaluateName: c.evaluateName }];
        return [this.variable(c.name, r.result, c.evaluateName)];
      }
      case 'entry':
        return [this.variable('key', c.key, undefined), this.variable('value', c.value, c.evaluateName)];
      case 'scopes':
        return this.scopeChildren(c.objects, c.extras, c.withGlobals);
      case 'globals':
        return this.globals();
    }
  }

  private async properties(objectId: string, accessorsOnly = false): Promise<Protocol.Runtime.GetPropertiesResponse> {
    return this.cdp.send('Runtime.getProperties', accessorsOnly ? { objectId, accessorPropertiesOnly: true, generatePreview: true } : { objectId, ownProperties: true, generatePreview: true });
  }

  private fromDescriptor(owner: RemoteObject, d: PropertyDescriptor, parentExpr: string | undefined): Variable | undefined {
    const expr = d.symbol ? `${parentExpr ?? ''}[${d.name}]` : childExpression(parentExpr, d.name);
    if (d.value) return this.variable(d.name, d.value, expr);
    if (d.get && d.get.type === 'function') {
      return {
        name: d.name,
        value: '(...)',
        evaluateName: expr,
        variablesReference: this.add({ kind: 'getter', owner, getter: d.get, name: d.name, evaluateName: expr }),
        presentationHint: { lazy: true, kind: 'property' },
      };
    }
    if (d.set) return { name: d.name, value: '(write-only)', evaluateName: expr, variablesReference: 0 };
    return undefined;
  }

  private async objectChildren(object: RemoteObject, evaluateName?: string): Promise<Variable[]> {
    if (!object.objectId) return [];
    const size = collectionSize(object.description);
    if (object.subtype && (INDEXED.has(object.subtype) || COLLECTIONS.has(object.subtype)) && size !== undefined) {
      const out = await this.rangeChildren(object, 0, size, evaluateName);
      if (INDEXED.has(object.subtype)) out.push({ name: 'length', value: String(size), type: 'int', evaluateName: childExpression(evaluateName, 'length'), variablesReference: 0 });
      else out.push({ name: 'size', value: String(size), type: 'int', evaluateName: childExpression(evaluateName, 'size'), variablesReference: 0 });
      return out;
    }
    const plain = object.className === 'Object' || object.type === 'function';
    const [own, accessors] = await Promise.all([this.properties(object.objectId), plain ? undefined : this.properties(object.objectId, true)]);
    const out: Variable[] = [];
    const seen = new Set<string>();
    for (const d of own.result) {
      const v = this.fromDescriptor(object, d, evaluateName);
      if (v) {
        out.push(v);
        seen.add(d.name);
      }
    }
    for (const d of accessors?.result ?? []) {
      if (seen.has(d.name) || d.name === '__proto__' || !d.get) continue;
      const v = this.fromDescriptor(object, d, evaluateName);
      if (v) {
        out.push(v);
        seen.add(d.name);
      }
    }
    for (const p of own.privateProperties ?? []) {
      if (p.value) out.push(this.variable(p.name, p.value, childExpression(evaluateName, p.name)));
    }
    for (const p of own.internalProperties ?? []) {
      if (HIDDEN_INTERNALS.has(p.name) || !p.value) continue;
      if ((p.value.subtype as string) === 'internal#location') {
        out.push({ name: p.name, value: p.value.description ?? '', variablesReference: 0, evaluateName: p.name });
        continue;
      }
      out.push(this.variable(p.name, p.value, p.name));
    }
    const entries = own.internalProperties?.find((p) => p.name === '[[Entries]]');
    if (entries?.value && (object.subtype === 'weakmap' || object.subtype === 'weakset')) out.push(this.variable('[[Entries]]', entries.value, undefined));
    return out;
  }

  /** Children for the index range [start, end): real items when small, else range nodes. */
  private async rangeChildren(object: RemoteObject, start: number, end: number, evaluateName?: string): Promise<Variable[]> {
    const n = end - start;
    if (n > CHUNK) {
      let bucket = CHUNK;
      while (Math.ceil(n / bucket) > CHUNK) bucket *= CHUNK;
      const out: Variable[] = [];
      for (let s = start; s < end; s += bucket) {
        const e = Math.min(end, s + bucket);
        out.push({
          name: `[${s}…${e - 1}]`,
          value: `${e - s} items`,
          evaluateName: evaluateName ?? '',
          variablesReference: this.add({ kind: 'chunk', object, start: s, end: e, evaluateName }),
        });
      }
      return out;
    }
    const isCollection = !!object.subtype && COLLECTIONS.has(object.subtype);
    const r = await this.cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      functionDeclaration: fn(isCollection ? collectionSlice : arraySlice),
      arguments: [{ value: start }, { value: end }],
      objectGroup: this.group,
    });
    if (!r.result.objectId) return [];
    const props = await this.properties(r.result.objectId);
    const byName = new Map(props.result.map((d) => [d.name, d.value]));
    const out: Variable[] = [];
    for (let i = start; i < end; i++) {
      if (!isCollection) {
        const v = byName.get(String(i));
        if (v) out.push(this.variable(String(i), v, childExpression(evaluateName, String(i), true)));
        continue;
      }
      const value = byName.get('v' + i);
      if (!value) continue;
      const key = byName.get('k' + i);
      if (!key) {
        out.push(this.variable(String(i), value, evaluateName ? `[...${evaluateName}][${i}]` : undefined));
        continue;
      }
      const keyShown = showRemote(key);
      const expr = evaluateName ? (key.objectId ? `[...${evaluateName}.values()][${i}]` : `${evaluateName}.get(${keyShown.value})`) : undefined;
      if (key.objectId) {
        out.push({ name: `[${i}]`, value: `${keyShown.value} => ${showRemote(value).value}`, evaluateName: expr ?? '', variablesReference: this.add({ kind: 'entry', key, value, evaluateName: expr }) });
      } else out.push(this.variable(keyShown.value, value, expr));
    }
    return out;
  }

  private async scopeChildren(objects: RemoteObject[], extras: { name: string; object: RemoteObject }[], withGlobals?: boolean): Promise<Variable[]> {
    const out: Variable[] = extras.map((e) => this.variable(e.name, e.object, e.name === 'this' ? 'this' : undefined));
    const seen = new Set(out.map((v) => v.name));
    const lists = await Promise.all(objects.map((o) => (o.objectId ? this.properties(o.objectId) : undefined)));
    for (let i = 0; i < lists.length; i++) {
      for (const d of lists[i]?.result ?? []) {
        if (seen.has(d.name)) continue;
        const v = this.fromDescriptor(objects[i], d, undefined);
        if (v) {
          out.push(v);
          seen.add(d.name);
        }
      }
    }
    if (withGlobals) for (const v of await this.globals()) if (!seen.has(v.name)) out.push(v);
    return out;
  }

  /** The user's globals (never Node's built-ins), read through the runner's baseline. */
  async globals(): Promise<Variable[]> {
    const lexical = await this.cdp.send('Runtime.globalLexicalScopeNames', {}).catch(() => ({ names: [] as string[] }));
    const r = await this.cdp.send('Runtime.evaluate', {
      expression: `(${fn(userGlobalsHolder)})(${JSON.stringify(lexical.names)})`,
      objectGroup: this.group,
      silent: true,
    });
    if (!r.result.objectId) return [];
    const holder = r.result;
    const props = await this.properties(holder.objectId!);
    const out: Variable[] = [];
    for (const d of props.result) {
      const v = this.fromDescriptor(holder, d, undefined);
      if (v) out.push(v);
    }
    return out;
  }
}
