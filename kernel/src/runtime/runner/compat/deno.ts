// The `Deno` global for notebooks written for Deno's Jupyter kernel: `Deno.jupyter` (display,
// the html/md/svg tagged templates, format, broadcast, the $display symbol), `Deno.version`,
// and a few everyday calls (cwd, env, readTextFile, writeTextFile). It is installed only once a
// cell mentions `Deno`: npm packages test `typeof Deno` to pick Deno code paths, and must keep
// seeing Node in notebooks that never asked for Deno.

import * as fs from 'node:fs';
import { currentCell, getChannel } from '../context';
import { display as kernelDisplay, plainFor } from '../display';
import { DISPLAY_SYMBOL, inspectPlain, looksLikeMimeBundle, normalizeBundle } from '../format';

type Bundle = Record<string, unknown>;

interface DenoDisplayOptions {
  raw?: boolean;
  update?: boolean;
  display_id?: string;
}

function displayable(mime: string, text: string): { [DISPLAY_SYMBOL]: () => Bundle } {
  return { [DISPLAY_SYMBOL]: () => ({ [mime]: text, 'text/plain': plainFor(mime, text) }) };
}

function tagged(mime: string) {
  return (strings: TemplateStringsArray, ...values: unknown[]) =>
    displayable(
      mime,
      strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), ''),
    );
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** A value's MIME bundle as Deno formats it (async: a `$display` method may return a promise). */
async function format(obj: unknown): Promise<Bundle> {
  if (obj !== null && (typeof obj === 'object' || typeof obj === 'function')) {
    const fn = (obj as Record<PropertyKey, unknown>)[DISPLAY_SYMBOL];
    if (typeof fn === 'function') return (await (fn as () => unknown).call(obj)) as Bundle;
    if (obj instanceof Uint8Array) {
      if (startsWith(obj, [0x89, 0x50, 0x4e, 0x47])) return { 'image/png': Buffer.from(obj).toString('base64'), 'text/plain': plainFor('image/png', obj) };
      if (startsWith(obj, [0xff, 0xd8, 0xff])) return { 'image/jpeg': Buffer.from(obj).toString('base64'), 'text/plain': plainFor('image/jpeg', obj) };
    }
    if (looksLikeMimeBundle(obj)) return obj;
  }
  return { 'text/plain': inspectPlain(obj) };
}

async function denoDisplay(obj: unknown, options: DenoDisplayOptions = {}): Promise<void> {
  const bundle = options.raw ? (obj as Bundle) : await format(obj);
  kernelDisplay(bundle, { raw: true, display_id: options.display_id, update: !!options.update && !!options.display_id });
}

function record(v: unknown, what: string): Record<string, unknown> {
  if (v === undefined) return {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new TypeError(`Deno.jupyter.broadcast: ${what} must be an object`);
  return v as Record<string, unknown>;
}

function text(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new TypeError(`Deno.jupyter.broadcast: ${what} must be a string`);
  return v;
}

const BROADCAST_TYPES = ['display_data', 'update_display_data', 'clear_output', 'stream', 'comm_open', 'comm_msg', 'comm_close'];

/**
 * Publishes an IOPub message for the current cell. Only output and comm messages are allowed:
 * status, execute_result and the like belong to the kernel.
 */
async function broadcast(msgType: string, content: unknown, extra: { metadata?: unknown; buffers?: unknown[] } = {}): Promise<void> {
  const c = record(content, 'content');
  if (extra.buffers?.length) throw new TypeError('Deno.jupyter.broadcast: binary buffers are not supported by tskernel');
  const cell = currentCell();
  const channel = getChannel();
  switch (msgType) {
    case 'display_data':
    case 'update_display_data': {
      const transient = record(c.transient, 'content.transient');
      const id = transient.display_id === undefined ? undefined : text(transient.display_id, 'transient.display_id');
      if (msgType === 'update_display_data' && !id) throw new TypeError('Deno.jupyter.broadcast: update_display_data needs transient.display_id');
      const bundle = normalizeBundle({ data: { ...record(c.data, 'content.data') }, metadata: { ...record(c.metadata, 'content.metadata') } });
      channel.send({ type: 'display', cell, bundle, displayId: id, update: msgType === 'update_display_data' });
      return;
    }
    case 'clear_output':
      channel.send({ type: 'clear', cell, wait: !!c.wait });
      return;
    case 'stream': {
      const name = c.name === 'stderr' ? 'stderr' : c.name === 'stdout' ? 'stdout' : undefined;
      if (!name) throw new TypeError('Deno.jupyter.broadcast: stream name must be "stdout" or "stderr"');
      channel.stream(cell, name, text(c.text, 'content.text'));
      return;
    }
    case 'comm_open':
      channel.send({
        type: 'comm_open',
        cell,
        comm_id: text(c.comm_id, 'comm_id'),
        target_name: text(c.target_name, 'target_name'),
        data: record(c.data, 'data'),
        metadata: record(extra.metadata, 'metadata'),
      });
      return;
    case 'comm_msg':
      channel.send({ type: 'comm_msg', cell, comm_id: text(c.comm_id, 'comm_id'), data: record(c.data, 'data'), metadata: record(extra.metadata, 'metadata') });
      return;
    case 'comm_close':
      channel.send({ type: 'comm_close', cell, comm_id: text(c.comm_id, 'comm_id'), data: record(c.data, 'data') });
      return;
    default:
      throw new TypeError(`Deno.jupyter.broadcast: "${String(msgType)}" is not a message a notebook may publish (use one of ${BROADCAST_TYPES.join(', ')})`);
  }
}

/**
 * `display` as Deno has it, plus the kernel's typed helpers: a notebook that does
 * `const { display } = Deno.jupyter` still has `display.html` & co. in its later cells.
 */
const jupyterDisplay = Object.assign(denoDisplay, {
  html: kernelDisplay.html,
  markdown: kernelDisplay.markdown,
  svg: kernelDisplay.svg,
  png: kernelDisplay.png,
  jpeg: kernelDisplay.jpeg,
  json: kernelDisplay.json,
  latex: kernelDisplay.latex,
  text: kernelDisplay.text,
  javascript: kernelDisplay.javascript,
  clear: kernelDisplay.clear,
});

function kernelVersion(name: string): string {
  try {
    return String((JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version?: unknown }).version);
  } catch {
    return 'unknown';
  }
}

export function createDeno(): object {
  const jupyter = Object.freeze({
    $display: DISPLAY_SYMBOL,
    display: Object.freeze(jupyterDisplay),
    html: tagged('text/html'),
    md: tagged('text/markdown'),
    svg: tagged('image/svg+xml'),
    format,
    broadcast,
  });
  return Object.freeze({
    jupyter,
    /** Not Deno: the notebook runs on Node under tskernel (Deno's field names, Node's versions). */
    version: Object.freeze({ deno: `0.0.0-tskernel (node ${process.version})`, v8: process.versions.v8, typescript: kernelVersion('typescript') }),
    build: Object.freeze({ os: process.platform === 'win32' ? 'windows' : process.platform, arch: process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : process.arch }),
    args: Object.freeze([] as string[]),
    cwd: (): string => process.cwd(),
    env: Object.freeze({
      get: (key: string): string | undefined => process.env[key],
      has: (key: string): boolean => key in process.env,
      toObject: (): Record<string, string | undefined> => ({ ...process.env }),
    }),
    readTextFile: (p: string | URL): Promise<string> => fs.promises.readFile(p, 'utf8'),
    readTextFileSync: (p: string | URL): string => fs.readFileSync(p, 'utf8'),
    writeTextFile: (p: string | URL, data: string): Promise<void> => fs.promises.writeFile(p, data),
    writeTextFileSync: (p: string | URL, data: string): void => fs.writeFileSync(p, data),
  });
}
