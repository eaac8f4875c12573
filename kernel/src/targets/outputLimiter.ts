// The budget and cleaning for output a target sends to the notebook: at most N bytes per
// one-second window (the excess is dropped and counted, never buffered), newlines and tabs kept,
// other control characters replaced (no terminal escapes from an untrusted process). Used by the
// agent link (Agent.output) and for the console output of by-port targets, at the same limit.

export class OutputLimiter {
  private windowStart = Date.now();
  private inWindow = 0;
  private droppedBytes = 0;

  constructor(private readonly bytesPerSecond: number) {}

  /** Output bytes dropped by the limit so far. */
  get dropped(): number {
    return this.droppedBytes;
  }

  /** The part of `text` that fits this second's budget, cleaned; undefined when none does. */
  admit(text: string): string | undefined {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    const bytes = Buffer.byteLength(text, 'utf8');
    const budget = this.bytesPerSecond - this.inWindow;
    if (budget <= 0) {
      this.droppedBytes += bytes;
      return undefined;
    }
    const kept =
      bytes > budget
        ? Buffer.from(text, 'utf8')
            .subarray(0, budget)
            .toString('utf8')
            .replace(/\uFFFD$/, '')
        : text;
    const keptBytes = Buffer.byteLength(kept, 'utf8');
    this.inWindow += keptBytes;
    this.droppedBytes += bytes - keptBytes;
    return kept.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?');
  }
}
