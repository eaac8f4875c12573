// The `display` global (also `require('tskernel/display')`): display(value | mimeBundle,
// {display_id, update, metadata}), typed helpers display.html/markdown/svg/png/jpeg/json/latex/
// text, and display.clear({wait}). Sends display messages for the current cell.

import type { MimeBundle } from '../protocol';
import { currentCell, getChannel } from './context';
import { looksLikeMimeBundle, mimeBundle, normalizeBundle } from './format';

export interface DisplayOptions {
  display_id?: string;
  update?: boolean;
  metadata?: Record<string, unknown>;
  /** Treat a plain object as a MIME bundle ({"text/html": ...}) even if detection is unsure. */
  raw?: boolean;
}

export interface DisplayHandle {
  display_id?: string;
  update(value: unknown, opts?: Omit<DisplayOptions, 'display_id' | 'update'>): void;
}

function send(bundle: MimeBundle, opts: DisplayOptions, rebundle: (v: unknown) => MimeBundle = (v) => bundleOf(v)): DisplayHandle {
  if (opts.metadata) Object.assign(bundle.metadata, opts.metadata);
  if (opts.update && !opts.display_id) throw new TypeError('display(..., {update: true}) needs a display_id');
  getChannel().send({ type: 'display', cell: currentCell(), bundle, displayId: opts.display_id, update: !!opts.update });
  const id = opts.display_id;
  return {
    display_id: id,
    update: (v, o = {}) => {
      if (!id) throw new TypeError('this display has no display_id');
      send(rebundle(v), { ...o, display_id: id, update: true }, rebundle);
    },
  };
}

function bundleOf(value: unknown, raw?: boolean): MimeBundle {
  if (raw || looksLikeMimeBundle(value)) return normalizeBundle(value as Record<string, unknown>);
  return mimeBundle(value);
}

function typed(mime: string, transform: (v: unknown) => unknown = (v) => v) {
  return (content: unknown, opts: DisplayOptions = {}): DisplayHandle | undefined => {
    const bundle = (v: unknown): MimeBundle => {
      const data: Record<string, unknown> = { [mime]: transform(v) };
      if (mime !== 'text/plain') data['text/plain'] = `<${mime}>`;
      return { data, metadata: {} };
    };
    const handle = send(bundle(content), opts, bundle);
    return opts.display_id ? handle : undefined;
  };
}

const b64 = (v: unknown): unknown => (Buffer.isBuffer(v) || v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v);

/** Shows a value; returns a handle for later updates only when a display_id was given. */
export function display(value: unknown, opts: DisplayOptions = {}): DisplayHandle | undefined {
  const handle = send(bundleOf(value, opts.raw), opts);
  return opts.display_id ? handle : undefined;
}

display.html = typed('text/html');
display.markdown = typed('text/markdown');
display.svg = typed('image/svg+xml');
display.png = typed('image/png', b64);
display.jpeg = typed('image/jpeg', b64);
display.json = typed('application/json');
display.latex = typed('text/latex');
display.text = typed('text/plain', String);
display.clear = (opts: { wait?: boolean } = {}): void => {
  getChannel().send({ type: 'clear', cell: currentCell(), wait: !!opts.wait });
};

export type DisplayFunction = typeof display;
