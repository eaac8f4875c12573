// Splits a text stream into lines (newline-delimited JSON between the kernel and its runner).
// Linear in the bytes read: each chunk is scanned once and a long line's pieces are joined once,
// when its newline arrives. (Appending every chunk to one string and searching it from the start
// made a 10 MB cell, which arrives in ~300 pipe reads, take 15-20 s to reach the runner.)

export class LineReader {
  private parts: string[] = [];

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    let start = 0;
    let nl: number;
    while ((nl = chunk.indexOf('\n', start)) >= 0) {
      const piece = chunk.slice(start, nl);
      let line = piece;
      if (this.parts.length) {
        this.parts.push(piece);
        line = this.parts.join('');
        this.parts = [];
      }
      start = nl + 1;
      if (line) this.onLine(line);
    }
    if (start < chunk.length) this.parts.push(start === 0 ? chunk : chunk.slice(start));
  }
}
