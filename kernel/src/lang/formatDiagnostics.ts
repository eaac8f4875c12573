// Renders type-check diagnostics as the text a cell's output shows, in tsc's "pretty" layout
// without colours:
//   Cell [3] 2:7 - error TS2345: Argument of type 'string' is not assignable to ...
//   2 | greet(42);
//     |       ^
import type { TsDiagnostic } from './service/protocol';

export function formatDiagnostics(diags: TsDiagnostic[], code: string, cellLabel: string): string {
  const lines = code.split(/\r?\n/);
  const out: string[] = [];
  for (const d of diags) {
    const [first, ...rest] = d.message.split('\n');
    out.push(`${cellLabel} ${d.line}:${d.column} - ${d.category} TS${d.code}: ${first}`);
    for (const r of rest) out.push(`  ${r}`);
    const src = lines[d.line - 1];
    if (src !== undefined) {
      const gutter = String(d.line);
      out.push(`${gutter} | ${src}`);
      // Keep tabs so the caret lines up under tab-indented code; count code points, not UTF-16 units.
      const before = Array.from(src).slice(0, Math.max(0, d.column - 1));
      const pad = before.map((ch) => (ch === '\t' ? '\t' : ' ')).join('');
      out.push(`${' '.repeat(gutter.length)} | ${pad}^`);
    }
    out.push('');
  }
  const errors = diags.filter((d) => d.category === 'error').length;
  if (diags.length > 0) {
    const warnings = diags.length - errors;
    const parts = [errors ? `${errors} error${errors > 1 ? 's' : ''}` : '', warnings ? `${warnings} warning${warnings > 1 ? 's' : ''}` : ''];
    out.push(`Found ${parts.filter(Boolean).join(' and ')}.`);
  }
  return out.join('\n');
}
