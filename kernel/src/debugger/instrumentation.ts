// The `beforeScriptWithSourceMapExecution` instrumentation breakpoint of one thread: a pause
// before every script with a source map runs, so breakpoints in its original sources are placed
// through a map that was not known before. That pause is a round trip to the kernel before every
// cell (cells carry source maps), so it is set only while some breakpoint needs it (one outside
// the cells: an imported .ts file, an attached server's sources) and removed when none does.

import type { CdpClient } from '../targets/cdpClient';

export class InstrumentationBreakpoint {
  /** Its breakpoint id while set (or being set). */
  private id?: Promise<string | undefined>;

  constructor(private readonly cdp: CdpClient) {}

  async update(needed: boolean): Promise<void> {
    if (needed === !!this.id) return;
    if (needed) {
      this.id = this.cdp.send('Debugger.setInstrumentationBreakpoint', { instrumentation: 'beforeScriptWithSourceMapExecution' }).then(
        (r) => r.breakpointId,
        () => undefined,
      );
      await this.id;
      return;
    }
    const set = this.id;
    this.id = undefined;
    const id = await set;
    if (id) await this.cdp.send('Debugger.removeBreakpoint', { breakpointId: id }).catch(() => undefined);
  }

  /** The Debugger domain was disabled or the target is gone: V8 dropped it. */
  reset(): void {
    this.id = undefined;
  }
}
