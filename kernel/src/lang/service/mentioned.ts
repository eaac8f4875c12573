// The identifier-like words of a cell's text (also inside strings and comments: an
// over-approximation of the names it references). A cell's generated prefix imports only these,
// so a cell depends only on the cells it can actually refer to. Unicode escapes in identifiers
// (`\u0078`) cannot be matched by text: then every name counts as mentioned (undefined).

const WORD = /[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*/gu;

export function mentionedWords(text: string): Set<string> | undefined {
  if (text.includes('\\u')) return undefined;
  return new Set(text.match(WORD));
}
