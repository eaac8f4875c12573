// Turns worker results into Jupyter reply content: inspect_reply's MIME bundle (text/plain and
// text/markdown) and the completion type names JupyterLab's completer understands.

import type { InspectResult } from './service/protocol';

export function inspectBundle(r: InspectResult): Record<string, string> {
  const plain = [r.signature];
  const md = ['```typescript', r.signature, '```'];
  if (r.documentation) (plain.push('', r.documentation), md.push('', r.documentation));
  if (r.tags.length) {
    plain.push('', ...r.tags);
    md.push('', ...r.tags.map((t) => `*${t.replace(/^@(\S+)/, '@$1*')}  `));
  }
  if (r.source) {
    plain.push('', `Source (${r.source.where}):`, r.source.text);
    md.push('', `Source (${r.source.where}):`, '```typescript', r.source.text, '```');
  }
  return { 'text/plain': plain.join('\n'), 'text/markdown': md.join('\n') };
}

/** TypeScript ScriptElementKind → the `type` JupyterLab shows (IPython's vocabulary where it has one). */
export function jupyterType(kind: string): string {
  switch (kind) {
    case 'method':
    case 'function':
    case 'local function':
    case 'construct':
    case 'call':
      return 'function';
    case 'property':
    case 'getter':
    case 'setter':
    case 'accessor':
    case 'enum member':
      return 'property';
    case 'var':
    case 'let':
    case 'const':
    case 'local var':
    case 'using':
    case 'await using':
    case 'parameter':
      return 'instance';
    case 'class':
    case 'local class':
    case 'interface':
    case 'type':
    case 'enum':
    case 'type parameter':
      return 'class';
    case 'module':
    case 'external module name':
    case 'directory':
    case 'script':
      return 'module';
    case 'keyword':
    case 'primitive type':
      return 'keyword';
    default:
      return kind || 'text';
  }
}
