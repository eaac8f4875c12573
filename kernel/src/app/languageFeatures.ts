// Connects the TypeScript language service to the core's LanguageFeatures port. The service
// (a compiler in a worker thread, a few hundred MB) is loaded off the start-up path: warmUp() is
// called once the first kernel_info has been answered (kernelApp.ts), so it is warm before the
// first cell; the first execution, completion or hover starts it if nothing did yet.

import type { LanguageFeatures } from '../core/ports';
import type * as Service from '../lang/service';
import { needsTypeCheck } from '../lang/needsTypeCheck';
import { COMPAT_GLOBALS_DTS } from '../lang/service/compatGlobals';
import type { RuntimeClient } from '../runtime/client';

/** Types of the globals the runner gives cells, so they type-check and complete. */
export const KERNEL_GLOBALS_DTS = `
interface TskernelDisplayOptions { display_id?: string; update?: boolean; metadata?: Record<string, unknown>; raw?: boolean }
interface TskernelDisplayHandle { display_id?: string; update(value: unknown, opts?: { metadata?: Record<string, unknown> }): void }
interface TskernelTyped { (content: any, opts: TskernelDisplayOptions & { display_id: string }): TskernelDisplayHandle; (content: any, opts?: TskernelDisplayOptions): TskernelDisplayHandle | undefined }
interface TskernelDisplay {
  /** Shows a value (or a MIME bundle such as {"text/html": "<b>hi</b>"}) in the cell's output. */
  (value: unknown, opts?: TskernelDisplayOptions): TskernelDisplayHandle | undefined;
  html: TskernelTyped; markdown: TskernelTyped; svg: TskernelTyped; png: TskernelTyped; jpeg: TskernelTyped;
  json: TskernelTyped; latex: TskernelTyped; text: TskernelTyped;
  /** Clears the cell's output (wait: clear when the next output arrives). */
  clear(opts?: { wait?: boolean }): void;
}
declare var display: TskernelDisplay;
interface TskernelComm {
  readonly id: string; readonly targetName: string; closed: boolean;
  send(data?: unknown, metadata?: unknown): void; close(data?: unknown): void;
  onMsg(cb: (data: any, metadata: any) => void): this; onClose(cb: (data: any, metadata: any) => void): this;
}
declare var comms: {
  registerTarget(name: string, handler: (comm: TskernelComm, data: any, metadata: any) => void): void;
  unregisterTarget(name: string): void;
  open(targetName: string, data?: unknown, metadata?: unknown): TskernelComm;
  list(): TskernelComm[];
};
/** Asks the notebook user for a line of text (blocks until answered). */
declare function prompt(message?: unknown): string;
/** Asks the notebook user for a line of text; password hides what they type. */
declare function input(message?: unknown, opts?: { password?: boolean }): Promise<string>;
`;

class LazyLanguageFeatures implements LanguageFeatures {
  private service: Service.LanguageService | undefined;
  private mod: typeof Service | undefined;

  constructor(
    private readonly language: 'typescript' | 'javascript',
    private readonly cwd: string,
    private readonly runtime: RuntimeClient,
  ) {}

  private get serviceModule(): typeof Service {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.mod ??= require('../lang/service') as typeof Service;
    return this.mod;
  }

  private get languageService(): Service.LanguageService {
    if (!this.service) {
      this.service = new this.serviceModule.LanguageService({
        language: this.language,
        notebookDir: this.cwd,
        runtimeMembers: (expr) => this.runtime.members(expr),
        extraDeclarations: KERNEL_GLOBALS_DTS + COMPAT_GLOBALS_DTS,
      });
      this.service.warmUp();
    }
    return this.service;
  }

  warmUp(): void {
    void this.languageService;
  }
  needsCheck(code: string): boolean {
    return needsTypeCheck(code);
  }
  isWarm(): boolean {
    return this.service?.isFull ?? false;
  }
  addCell(code: string, n: number): void {
    this.languageService.addCell(code, n);
  }
  check(code: string) {
    return this.languageService.check(code);
  }
  complete(code: string, cp: number) {
    return this.languageService.complete(code, cp);
  }
  inspect(code: string, cp: number, detail: number) {
    return this.languageService.inspect(code, cp, detail);
  }
  isComplete(code: string) {
    return this.languageService.isComplete(code);
  }
  format(diags: Parameters<typeof Service.formatDiagnostics>[0], code: string, label: string): string {
    return this.serviceModule.formatDiagnostics(diags, code, label);
  }
  async dispose(): Promise<void> {
    await this.service?.dispose();
  }
}

export function createLanguageFeatures(language: 'typescript' | 'javascript', cwd: string, runtime: RuntimeClient): LanguageFeatures {
  return new LazyLanguageFeatures(language, cwd, runtime);
}
