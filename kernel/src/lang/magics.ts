// Kernel magics are not TypeScript: before the compiler sees a cell, every magic line (`%name ...`,
// optionally indented) is replaced by spaces of the same length, so every other line and column
// keeps its position. A cell magic (`%%name` on the first line) makes the whole cell non-code.

const LINE_MAGIC = /^[ \t]*%[A-Za-z%]/;

export function blankMagics(code: string): string {
  if (!code.includes('%')) return code;
  const lines = code.split('\n');
  const firstCode = lines.find((l) => l.trim() !== '');
  const cellMagic = firstCode !== undefined && /^[ \t]*%%/.test(firstCode);
  return lines.map((l) => (cellMagic || LINE_MAGIC.test(l) ? l.replace(/[^\r]/g, ' ') : l)).join('\n');
}
