// The `display` global (also `require('tskernel/display')`): display(value | mimeBundle,
// {display_id, update, metadata}), typed helpers display.html/markdown/svg/png/jpeg/json/latex/
// text/javascript, and display.clear({wait}). Sends display messages for the current cell. Typed
// helpers also carry a readable text/plain (the HTML's text, the Markdown source) for consoles
// and saved notebooks that show only text.

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

/** With a display_id the handle is always there, so `display(x, {display_id}).update(y)` type-checks. */
export interface TypedDisplay {
  (content: unknown, opts: DisplayOptions & { display_id: string }): DisplayHandle;
  (content: unknown, opts?: DisplayOptions): DisplayHandle | undefined;
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

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const MAX_PLAIN = 2000;

/** The text a reader would see in rendered HTML: no tags, scripts or styles; entities decoded. */
export function htmlText(html: string): string {
  const text = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h[1-6])\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[\da-f]+|#\d+|\w+);/gi, (m, e: string) => {
      if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim();
  return text.length > MAX_PLAIN ? text.slice(0, MAX_PLAIN) + '…' : text;
}

function sizeOf(v: unknown): string {
  const bytes = typeof v === 'string' ? Math.floor((v.length * 3) / 4) : v instanceof Uint8Array ? v.length : 0;
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} kB` : `${bytes} bytes`;
}

/** text/plain for a typed display: the content's text where it has one, else what it is. */
export function plainFor(mime: string, content: unknown): string {
  const s = typeof content === 'string' ? content : '';
  switch (mime) {
    case 'text/html':
      return htmlText(s) || 'HTML';
    case 'text/markdown':
    case 'text/latex':
      return s.length > MAX_PLAIN ? s.slice(0, MAX_PLAIN) + '…' : s;
    case 'image/svg+xml': {
      const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(s)?.[1];
      const text = htmlText(title ?? [...s.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/gi)].map((m) => m[1]).join(' '));
      return text ? `SVG image: ${text}` : 'SVG image';
    }
    case 'image/png':
      return `PNG image (${sizeOf(content)})`;
    case 'image/jpeg':
      return `JPEG image (${sizeOf(content)})`;
    case 'application/json':
      return JSON.stringify(content, null, 2) ?? String(content);
    case 'application/javascript':
      return 'JavaScript output';
    default:
      return mime;
  }
}

function typed(mime: string, transform: (v: unknown) => unknown = (v) => v): TypedDisplay {
  const bundle = (v: unknown): MimeBundle => {
    const data: Record<string, unknown> = { [mime]: transform(v) };
    if (mime !== 'text/plain') data['text/plain'] = plainFor(mime, v);
    return { data, metadata: {} };
  };
  function show(content: unknown, opts: DisplayOptions & { display_id: string }): DisplayHandle;
  function show(content: unknown, opts?: DisplayOptions): DisplayHandle | undefined;
  function show(content: unknown, opts: DisplayOptions = {}): DisplayHandle | undefined {
    const handle = send(bundle(content), opts, bundle);
    return opts.display_id ? handle : undefined;
  }
  return show;
}

const b64 = (v: unknown): unknown => (Buffer.isBuffer(v) || v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v);

/** Shows a value; returns a handle for later updates only when a display_id was given. */
export function display(value: unknown, opts: DisplayOptions & { display_id: string }): DisplayHandle;
export function display(value: unknown, opts?: DisplayOptions): DisplayHandle | undefined;
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
display.javascript = typed('application/javascript');
display.clear = (opts: { wait?: boolean } = {}): void => {
  getChannel().send({ type: 'clear', cell: currentCell(), wait: !!opts.wait });
};

export type DisplayFunction = typeof display;
