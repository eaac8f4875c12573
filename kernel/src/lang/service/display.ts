// Turns TypeScript's quick-info and completion-details parts into the text users see. Names from
// earlier cells reach the current cell through generated imports, so TypeScript describes them as
// "(alias) const x: number\nimport x"; that wrapping is removed.

import ts from 'typescript';

/** Display text without the alias wrapping of names imported from earlier cells. */
export function cleanDisplay(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^import [\w$]+$/.test(l.trim()))
    .join('\n')
    .replace(/^\(alias\) /, '')
    .trim();
}

export function docText(parts: readonly ts.SymbolDisplayPart[] | undefined): string {
  return parts ? ts.displayPartsToString([...parts]).trim() : '';
}

/** `@param x description` style lines for JSDoc tags. */
export function tagLines(tags: readonly ts.JSDocTagInfo[] | undefined): string[] {
  return (tags ?? []).map((t) => `@${t.name}${t.text ? ' ' + ts.displayPartsToString(t.text) : ''}`);
}
