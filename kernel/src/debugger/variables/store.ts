// Hands out variablesReferences and turns them into DAP variables. A store lives for one pause
// (or one inspectVariables round when not paused) and owns a CDP object group released with it.
// Large arrays, typed arrays, Maps and Sets are split into range nodes ([0…99], …) because
// JupyterLab never pages; slices are read through small debuggee functions, never through
// getProperties on the whole collection, and previews are made by a budgeted debuggee function
// instead of V8's (which walks every key). Getters are shown lazily and run only when expanded.
// A pause's store can compute children ahead of the request (prefetch): the thread asks for the
// top frame's scopes as soon as it reports the stop, so the work overlaps the client's round trips.

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Protocol } from 'devtools-protocol';
import type { CdpClient, CdpMethod, CdpParams, CdpResult } from '../../targets/cdpClient';
import { UserError } from '../errors';
import { childExpression, collectionSize, showRemote, wantsPreview } from './format';
import { INTERNAL_URL_SUFFIX } from '../scripts';
import { arraySlice, collectionSlice, fn, GLOBALS_PREVIEWS_KEY, invokeGetter, previewValues, userGlobalsHolder } from './remote';

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

/** A child before it becomes a DAP variable: a value to show, or a ready-made variable. */
/** `body`: a preview already made in the debuggee (see globalEntries), so none is asked for. */
type Entry = { name: string; object: RemoteObject; evaluateName?: string; body?: string } | { variable: Variable };

/** One counter for all stores, so references never collide between a pause and inspectVariables. */
let nextReference = 1;

const HIDDEN_INTERNALS = new Set(['[[Prototype]]', '[[Scopes]]', '[[StableObjectId]]', '[[Entries]]']);
const COLLECTIONS = new Set(['map', 'set']);
const INDEXED = new Set(['array', 'typedarray']);

/**
 * The object group V8 itself releases whenever the target resumes (it holds the call frames'
 * scopes): a pause's store uses it, so leaving a pause costs no release round trip.
 */
export const PAUSE_OBJECT_GROUP = 'backtrace';

/**
 * The script-scope `let/const/class` names last seen per target. They change only when a script
 * declares new ones, so the globals holder is built with these while the current names are asked
 * for in parallel (and built again only if they differ).
 */
const lexicalNamesSeen = new WeakMap<CdpClient, string[]>();

const GLOBALS_SOURCE_URL = `\n//# sourceURL=globals${INTERNAL_URL_SUFFIX}`;

export class VariableStore {
  private readonly containers = new Map<number, Container>();
  /** Children computed ahead of the request, taken by the first `children` call. */
  private readonly prefetched = new Map<number, Promise<Variable[]>>();
  private released = false;

  constructor(
    private readonly cdp: CdpClient,
    readonly group: string,
  ) {}

  /** Starts computing a container's children now, for the `variables` request expected next. */
  prefetch(ref: number): void {
    const c = this.containers.get(ref);
    if (!c || this.prefetched.has(ref)) return;
    const p = this.expand(c).then((entries) => this.variables(entries));
    p.catch(() => undefined); // a failed prefetch is recomputed on request
    this.prefetched.set(ref, p);
  }

  /** Forgets prefetched children: the debuggee may have changed (an evaluation, a setVariable). */
  dropPrefetched(): void {
    this.prefetched.clear();
  }

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

  /** Commands for this store's values; none once it is released (a prefetch stops half-way). */
  private send<M extends CdpMethod>(method: M, ...params: CdpParams<M>): Promise<CdpResult<M>> {
    if (this.released) return Promise.reject(new UserError('The thread resumed: these values are gone'));
    return this.cdp.send(method, ...params);
  }

  async release(): Promise<void> {
    this.released = true;
    this.containers.clear();
    this.prefetched.clear();
    if (this.group !== PAUSE_OBJECT_GROUP && !this.cdp.isClosed) await this.cdp.send('Runtime.releaseObjectGroup', { objectGroup: this.group }).catch(() => undefined);
  }

  /** A DAP variable for a value, registering a container when it can be expanded. */
  variable(name: string, object: RemoteObject, evaluateName?: string, body?: string): Variable {
    const shown = showRemote(object, body);
    const v: Variable = { name, value: shown.value, evaluateName: evaluateName ?? name, variablesReference: 0 };
    if (shown.type !== undefined) v.type = shown.type;
    if (shown.expandable && object.objectId) {
      v.variablesReference = this.add({ kind: 'object', object, evaluateName });
      const size = collectionSize(object.description);
      if (object.subtype && INDEXED.has(object.subtype) && size !== undefined) v.indexedVariables = size;
    }
    if (object.type === 'function') v.presentationHint = { kind: /^class\b/.test(object.description ?? '') ? 'class' : 'method' };
    return v;
  }

  /** Preview bodies for many values in one debuggee call ('' where none is needed). */
  async previews(objects: RemoteObject[]): Promise<string[]> {
    const wanted = objects.map((o, i) => (wantsPreview(o) ? i : -1)).filter((i) => i >= 0);
    const out = objects.map(() => '');
    if (!wanted.length) return out;
    const r = await this.send('Runtime.callFunctionOn', {
      objectId: objects[wanted[0]].objectId,
      functionDeclaration: fn(previewValues),
      arguments: wanted.map((i) => ({ objectId: objects[i].objectId })),
      returnByValue: true,
      silent: true,
    }).catch(() => undefined);
    const bodies = Array.isArray(r?.result.value) ? (r.result.value as unknown[]) : [];
    wanted.forEach((i, k) => (out[i] = typeof bodies[k] === 'string' ? bodies[k] : ''));
    return out;
  }

  /** DAP variables for entries, with previews fetched in one round trip. */
  async variables(entries: Entry[]): Promise<Variable[]> {
    const values = entries.filter((e): e is Extract<Entry, { object: RemoteObject }> => 'object' in e && e.body === undefined);
    const bodies = await this.previews(values.map((e) => e.object));
    const byEntry = new Map(values.map((e, i) => [e, bodies[i]]));
    return entries.map((e) => ('variable' in e ? e.variable : this.variable(e.name, e.object, e.evaluateName, e.body ?? byEntry.get(e))));
  }

  /** One value as a DAP variable (evaluate results, getter values). */
  async single(name: string, object: RemoteObject, evaluateName?: string): Promise<Variable> {
    return (await this.variables([{ name, object, evaluateName }]))[0];
  }

  async children(ref: number, start?: number, count?: number): Promise<Variable[]> {
    const c = this.containers.get(ref);
    if (!c) return [];
    // Expanding a getter runs user code, which may change what was prefetched.
    if (c.kind === 'getter') this.prefetched.clear();
    const ahead = this.prefetched.get(ref);
    this.prefetched.delete(ref);
    const all = (ahead && (await ahead.catch(() => undefined))) || (await this.variables(await this.expand(c)));
    if (start === undefined && count === undefined) return all;
    const s = start ?? 0;
    return all.slice(s, count ? s + count : undefined);
  }

  private async expand(c: Container): Promise<Entry[]> {
    switch (c.kind) {
      case 'object':
        return this.objectChildren(c.object, c.evaluateName);
      case 'chunk':
        return this.rangeChildren(c.object, c.start, c.end, c.evaluateName);
      case 'getter': {
        const r = await this.send('Runtime.callFunctionOn', {
          objectId: c.owner.objectId,
          functionDeclaration: fn(invokeGetter),
          arguments: [{ objectId: c.getter.objectId }],
          objectGroup: this.group,
          silent: true,
        });
        if (r.exceptionDetails)
          return [
            {
              variable: {
                name: c.name,
                value: `<exception: ${(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text).split('\n')[0]}>`,
                variablesReference: 0,
                evaluateName: c.evaluateName,
              },
            },
          ];
        return [{ name: c.name, object: r.result, evaluateName: c.evaluateName }];
      }
      case 'entry':
        return [
          { name: 'key', object: c.key, evaluateName: undefined },
          { name: 'value', object: c.value, evaluateName: c.evaluateName },
        ];
      case 'scopes':
        return this.scopeChildren(c.objects, c.extras, c.withGlobals);
      case 'globals':
        return this.globalEntries();
    }
  }

  private properties(objectId: string, accessorsOnly = false): Promise<Protocol.Runtime.GetPropertiesResponse> {
    return this.send('Runtime.getProperties', accessorsOnly ? { objectId, accessorPropertiesOnly: true } : { objectId, ownProperties: true });
  }

  private fromDescriptor(owner: RemoteObject, d: PropertyDescriptor, parentExpr: string | undefined): Entry | undefined {
    const expr = d.symbol ? `${parentExpr ?? ''}[${d.name}]` : childExpression(parentExpr, d.name);
    if (d.value) return { name: d.name, object: d.value, evaluateName: expr };
    if (d.get && d.get.type === 'function') {
      return {
        variable: {
          name: d.name,
          value: '(...)',
          evaluateName: expr,
          variablesReference: this.add({ kind: 'getter', owner, getter: d.get, name: d.name, evaluateName: expr }),
          presentationHint: { lazy: true, kind: 'property' },
        },
      };
    }
    if (d.set) return { variable: { name: d.name, value: '(write-only)', evaluateName: expr, variablesReference: 0 } };
    return undefined;
  }

  private async objectChildren(object: RemoteObject, evaluateName?: string): Promise<Entry[]> {
    if (!object.objectId) return [];
    const size = collectionSize(object.description);
    if (object.subtype && (INDEXED.has(object.subtype) || COLLECTIONS.has(object.subtype)) && size !== undefined) {
      const out = await this.rangeChildren(object, 0, size, evaluateName);
      const name = INDEXED.has(object.subtype) ? 'length' : 'size';
      out.push({ variable: { name, value: String(size), type: 'int', evaluateName: childExpression(evaluateName, name), variablesReference: 0 } });
      return out;
    }
    const plain = object.className === 'Object' || object.type === 'function';
    const [own, accessors] = await Promise.all([this.properties(object.objectId), plain ? undefined : this.properties(object.objectId, true)]);
    const out: Entry[] = [];
    const seen = new Set<string>();
    const push = (d: PropertyDescriptor): void => {
      const e = this.fromDescriptor(object, d, evaluateName);
      if (!e) return;
      out.push(e);
      seen.add(d.name);
    };
    for (const d of own.result) push(d);
    for (const d of accessors?.result ?? []) if (!seen.has(d.name) && d.name !== '__proto__' && d.get) push(d);
    for (const p of own.privateProperties ?? []) if (p.value) out.push({ name: p.name, object: p.value, evaluateName: childExpression(evaluateName, p.name) });
    for (const p of own.internalProperties ?? []) {
      if (HIDDEN_INTERNALS.has(p.name) || !p.value) continue;
      if ((p.value.subtype as string) === 'internal#location') out.push({ variable: { name: p.name, value: p.value.description ?? '', variablesReference: 0, evaluateName: p.name } });
      else out.push({ name: p.name, object: p.value, evaluateName: p.name });
    }
    const entries = own.internalProperties?.find((p) => p.name === '[[Entries]]');
    if (entries?.value && (object.subtype === 'weakmap' || object.subtype === 'weakset')) out.push({ name: '[[Entries]]', object: entries.value, evaluateName: undefined });
    return out;
  }

  /** Children for the index range [start, end): real items when small, else range nodes. */
  private async rangeChildren(object: RemoteObject, start: number, end: number, evaluateName?: string): Promise<Entry[]> {
    const n = end - start;
    if (n > CHUNK) {
      let bucket = CHUNK;
      while (Math.ceil(n / bucket) > CHUNK) bucket *= CHUNK;
      const out: Entry[] = [];
      for (let s = start; s < end; s += bucket) {
        const e = Math.min(end, s + bucket);
        out.push({
          variable: { name: `[${s}…${e - 1}]`, value: `${e - s} items`, evaluateName: evaluateName ?? '', variablesReference: this.add({ kind: 'chunk', object, start: s, end: e, evaluateName }) },
        });
      }
      return out;
    }
    const isCollection = !!object.subtype && COLLECTIONS.has(object.subtype);
    const r = await this.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      functionDeclaration: fn(isCollection ? collectionSlice : arraySlice),
      arguments: [{ value: start }, { value: end }],
      objectGroup: this.group,
      silent: true,
    });
    if (!r.result.objectId) return [];
    const props = await this.properties(r.result.objectId);
    const byName = new Map(props.result.map((d) => [d.name, d.value]));
    const out: Entry[] = [];
    for (let i = start; i < end; i++) {
      if (!isCollection) {
        const v = byName.get(String(i));
        if (v) out.push({ name: String(i), object: v, evaluateName: childExpression(evaluateName, String(i), true) });
        continue;
      }
      const value = byName.get('v' + i);
      if (!value) continue;
      const key = byName.get('k' + i);
      if (!key) {
        out.push({ name: String(i), object: value, evaluateName: evaluateName ? `[...${evaluateName}][${i}]` : undefined });
        continue;
      }
      const keyText = showRemote(key).value;
      if (key.objectId) {
        const expr = evaluateName ? `[...${evaluateName}.values()][${i}]` : undefined;
        out.push({
          variable: { name: `[${i}]`, value: `${keyText} => ${showRemote(value).value}`, evaluateName: expr ?? '', variablesReference: this.add({ kind: 'entry', key, value, evaluateName: expr }) },
        });
      } else out.push({ name: keyText, object: value, evaluateName: evaluateName ? `${evaluateName}.get(${keyText})` : undefined });
    }
    return out;
  }

  private async scopeChildren(objects: RemoteObject[], extras: { name: string; object: RemoteObject }[], withGlobals?: boolean): Promise<Entry[]> {
    const out: Entry[] = extras.map((e) => ({ name: e.name, object: e.object, evaluateName: e.name === 'this' ? 'this' : '' }));
    const seen = new Set(extras.map((e) => e.name));
    const [lists, globals] = await Promise.all([
      Promise.all(objects.map((o) => (o.objectId ? this.properties(o.objectId) : Promise.resolve(undefined)))),
      withGlobals ? this.globalEntries() : Promise.resolve([]),
    ]);
    lists.forEach((list, i) => {
      for (const d of list?.result ?? []) {
        if (seen.has(d.name)) continue;
        const e = this.fromDescriptor(objects[i], d, undefined);
        if (!e) continue;
        out.push(e);
        seen.add(d.name);
      }
    });
    for (const e of globals) {
      const name = 'variable' in e ? e.variable.name : e.name;
      if (!seen.has(name)) out.push(e);
    }
    return out;
  }

  private globalsHolder(lexicalNames: string[]): Promise<Protocol.Runtime.EvaluateResponse> {
    const expression = `(${fn(userGlobalsHolder)})(${JSON.stringify(lexicalNames)}, ${fn(previewValues)})${GLOBALS_SOURCE_URL}`;
    return this.send('Runtime.evaluate', { expression, objectGroup: this.group, silent: true });
  }

  /**
   * The user's globals (never Node's built-ins), read through the runner's baseline: two round
   * trips (the holder, with the lexical names asked for alongside; then its properties, with the
   * previews of its values made by the holder as well).
   */
  private async globalEntries(): Promise<Entry[]> {
    const known = lexicalNamesSeen.get(this.cdp) ?? [];
    const lexical = this.send('Runtime.globalLexicalScopeNames', {}).then(
      (r) => r.names,
      () => [] as string[],
    );
    const guess = this.globalsHolder(known);
    guess.catch(() => undefined);
    const names = await lexical;
    lexicalNamesSeen.set(this.cdp, names);
    const same = names.length === known.length && names.every((n, i) => n === known[i]);
    const r = await (same ? guess : this.globalsHolder(names));
    if (!r.result.objectId) return [];
    const holder = r.result;
    const props = await this.properties(holder.objectId!);
    let bodies = new Map<string, string>();
    const out: Entry[] = [];
    for (const d of props.result) {
      if (d.symbol) {
        if (d.name === `Symbol(${GLOBALS_PREVIEWS_KEY})` && typeof d.value?.value === 'string') bodies = parseBodies(d.value.value);
        continue;
      }
      const e = this.fromDescriptor(holder, d, undefined);
      if (e) out.push(e);
    }
    for (const e of out) if ('object' in e) e.body = bodies.get(e.name) ?? '';
    return out;
  }

  /** User globals as DAP variables (inspectVariables). */
  async globals(): Promise<Variable[]> {
    return this.variables(await this.globalEntries());
  }
}

/** The holder's `[name, preview]` pairs (remote.ts userGlobalsHolder). */
function parseBodies(json: string): Map<string, string> {
  const out = new Map<string, string>();
  try {
    const pairs: unknown = JSON.parse(json);
    if (Array.isArray(pairs)) for (const p of pairs) if (Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string') out.set(p[0], p[1]);
  } catch {
    /* no previews: values are shown by their description */
  }
  return out;
}
