// Types of the globals the runner gives notebooks written for other kernels (runtime/runner/
// compat/): Deno's `Deno.jupyter` & co. and IJavascript's `$$`, declared beside the kernel's own
// globals so such notebooks type-check. Also sharpens `display`: with a display_id the handle is
// always returned, so `display(x, {display_id: 'p'}).update(y)` checks under strictNullChecks
// (interface merging puts these overloads before the general ones).

export const COMPAT_GLOBALS_DTS = `
interface TskernelDisplay {
  (value: unknown, opts: TskernelDisplayOptions & { display_id: string }): TskernelDisplayHandle;
  javascript: TskernelTyped;
}
declare namespace Deno {
  namespace jupyter {
    /** Symbol.for("Jupyter.display"): an object with this method is shown as the MIME bundle it returns. */
    const $display: unique symbol;
    type MediaBundle = Record<string, unknown>;
    interface Displayable { [$display](): MediaBundle | Promise<MediaBundle> }
    interface DisplayOptions { raw?: boolean; update?: boolean; display_id?: string }
    /** Shows a value (raw: a MIME bundle as is); also has the kernel's display.html & co. */
    const display: ((obj: unknown, options?: DisplayOptions) => Promise<void>) &
      Pick<TskernelDisplay, 'html' | 'markdown' | 'svg' | 'png' | 'jpeg' | 'json' | 'latex' | 'text' | 'javascript' | 'clear'>;
    function html(strings: TemplateStringsArray, ...values: unknown[]): Displayable;
    function md(strings: TemplateStringsArray, ...values: unknown[]): Displayable;
    function svg(strings: TemplateStringsArray, ...values: unknown[]): Displayable;
    function format(obj: unknown): Promise<MediaBundle>;
    /** Publishes display_data, update_display_data, clear_output, stream or comm_* for the cell. */
    function broadcast(msgType: string, content: Record<string, unknown>, extra?: { metadata?: Record<string, unknown>; buffers?: Uint8Array[] }): Promise<void>;
  }
  const version: { readonly deno: string; readonly v8: string; readonly typescript: string };
  const build: { readonly os: string; readonly arch: string };
  const args: readonly string[];
  function cwd(): string;
  const env: { get(key: string): string | undefined; has(key: string): boolean; toObject(): Record<string, string | undefined> };
  function readTextFile(path: string | URL): Promise<string>;
  function readTextFileSync(path: string | URL): string;
  function writeTextFile(path: string | URL, data: string): Promise<void>;
  function writeTextFileSync(path: string | URL, data: string): void;
}
interface IJavascriptDisplay {
  readonly display_id: string;
  mime(bundle: Record<string, unknown>): void; html(html: string): void; svg(svg: string): void;
  png(base64: string): void; jpeg(base64: string): void; text(text: string): void; json(value: unknown): void;
  sendResult(value: unknown): void; close(): void;
}
/** IJavascript's cell API: results (html, svg, png, jpeg, mime, text, json, sendResult), errors, async cells. */
declare var $$: {
  /** Keeps the cell running until $$.done(), $$.sendResult() or $$.sendError(). */
  async(enable?: boolean): void;
  done(): void;
  sendResult(value: unknown): void;
  sendError(error: unknown): void;
  mime(bundle: Record<string, unknown>): void;
  html(html: string): void; svg(svg: string): void; png(base64: string): void; jpeg(base64: string): void;
  text(text: string): void; json(value: unknown): void;
  display(id?: string): IJavascriptDisplay;
  clear(opts?: { wait?: boolean }): void;
};
`;
