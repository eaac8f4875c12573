// Type stripping by blanking: TypeScript -> JavaScript with every type annotation, type-only
// declaration and TypeScript-only modifier replaced by spaces, so each remaining character keeps
// its line and column (no source map needed) — what Node's own type stripping does. The tokens
// come from sucrase's parser (a Babel-derived TypeScript tokenizer that marks type tokens), which
// costs ~1 MB of heap where a WebAssembly stripper (SWC) costs ~18 MB per process.
//
// Syntax that needs code generated (enums, namespaces with values, parameter properties,
// `import x = require()`, `export =`) is not blanked: blankTypes reports it (NeedsTransform) and
// the caller uses a real transform. Where blanking alone would change how JavaScript reads the
// code, a `;` or a moved `)` keeps it meaning what TypeScript meant (see fixHazards).

import type { Token } from 'sucrase/dist/types/parser/tokenizer';
import type * as TokenTypes from 'sucrase/dist/types/parser/tokenizer/types';
import type * as Keywords from 'sucrase/dist/types/parser/tokenizer/keywords';
import { CellSyntaxError } from './syntaxError';

interface Sucrase {
  parse(input: string, jsx: boolean, typescript: boolean, flow: boolean): { tokens: Token[] };
  tt: typeof TokenTypes.TokenType;
  kw: typeof Keywords.ContextualKeyword;
}

let sucrase: Sucrase | undefined;
function load(): Sucrase {
  /* eslint-disable @typescript-eslint/no-require-imports */
  sucrase ??= {
    parse: (require('sucrase/dist/parser') as { parse: Sucrase['parse'] }).parse,
    tt: (require('sucrase/dist/parser/tokenizer/types') as typeof TokenTypes).TokenType,
    kw: (require('sucrase/dist/parser/tokenizer/keywords') as typeof Keywords).ContextualKeyword,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return sucrase;
}

/** The code needs a transform that generates JavaScript (the message names the construct). */
export class NeedsTransform extends Error {}

/** Parses once so the first cell does not pay for loading the parser. */
export function warmUpBlanking(): void {
  blankTypes('let a: number = 1;');
}

export function blankTypes(code: string): string {
  const s = load();
  let tokens: Token[];
  try {
    tokens = s.parse(code, false, true, false).tokens;
  } catch (e) {
    throw toSyntaxError(e, code);
  }
  const out = new Blanker(code);
  new Walk(s, code, tokens, out).run();
  return out.text();
}

/** sucrase's error ("Unexpected token (1:8)", 1-based line and column) as a cell syntax error. */
function toSyntaxError(e: unknown, code: string): unknown {
  if (!(e instanceof SyntaxError)) return e;
  const { loc, pos } = e as SyntaxError & { loc?: { line: number; column: number }; pos?: number };
  let message = e.message.replace(/ \(\d+:\d+\)$/, '');
  // Name what was unexpected: a word or one character.
  const at = pos === undefined ? undefined : /^[\w$]+|^\S/.exec(code.slice(pos))?.[0];
  if (at && message === 'Unexpected token') message += ` '${at}'`;
  return new CellSyntaxError(message, loc?.line, loc?.column);
}

/** The output as the input's characters, some replaced; newlines are never replaced. */
class Blanker {
  private readonly chars: string[];
  constructor(code: string) {
    this.chars = Array.from({ length: code.length }, (_, i) => code[i]);
  }
  blank(from: number, to: number): void {
    for (let i = from; i < to; i++) if (!isLineBreak(this.chars[i])) this.chars[i] = ' ';
  }
  put(at: number, ch: string): void {
    this.chars[at] = ch;
  }
  text(): string {
    return this.chars.join('');
  }
}

const isLineBreak = (c: string | undefined): boolean => c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';

/** Characters that would continue the previous line's expression if it ended where a type did. */
const CONTINUES = new Set(['(', '[', '`', '+', '-', '/', '*', '<', '.', ',', '?', '=', '!']);

class Walk {
  private i = 0;
  /** For each open brace: whether it opens an ambient (`declare`) body, where no code runs. */
  private readonly ambient: boolean[] = [];
  private nextBraceAmbient = false;
  /** Token types of the class-member modifiers TypeScript adds. */
  private readonly modifierTypes: number[];

  constructor(
    private readonly s: Sucrase,
    private readonly code: string,
    private readonly tokens: Token[],
    private readonly out: Blanker,
  ) {
    const { tt } = s;
    this.modifierTypes = [tt._public, tt._private, tt._protected, tt._readonly, tt._override, tt._abstract, tt._declare];
  }

  run(): void {
    const { tt } = this.s;
    while (this.i < this.tokens.length && this.tokens[this.i].type !== tt.eof) {
      const t = this.tokens[this.i];
      if (t.isType) this.typeRun();
      else this.valueToken(t);
    }
  }

  private text(t: Token): string {
    return this.code.slice(t.start, t.end);
  }

  private is(k: number, type: number): boolean {
    return this.tokens[k]?.type === type;
  }

  private isWord(k: number, word: string): boolean {
    const t = this.tokens[k];
    return t !== undefined && t.type === this.s.tt.name && this.text(t) === word;
  }

  /** A maximal run of type tokens: each blanked (comments and line breaks between them stay). */
  private typeRun(): void {
    const { tt } = this.s;
    const first = this.i;
    while (this.i < this.tokens.length && this.tokens[this.i].isType && this.tokens[this.i].type !== tt.eof) {
      this.checkNamespace(this.i);
      this.trackBraces(this.i);
      this.i++;
    }
    const last = this.i - 1;
    this.blankTokens(first, last);
    this.fixHazards(first, last);
  }

  /**
   * A namespace or module with a body is blanked only where it is ambient (`declare namespace`,
   * nested in one, `declare module 'x'`, `declare global`): sucrase marks every namespace as
   * types, but one that holds values needs a transform.
   */
  private checkNamespace(k: number): void {
    const { tt, kw } = this.s;
    const t = this.tokens[k];
    if (t.type !== tt.name) return;
    const named = (t.contextualKeyword === kw._namespace || t.contextualKeyword === kw._module) && (this.is(k + 1, tt.name) || this.is(k + 1, tt.string));
    const global = t.contextualKeyword === kw._global && this.is(k + 1, tt.braceL);
    if (!named && !global) return;
    if (this.is(k - 1, tt._declare) || this.ambient.includes(true)) this.nextBraceAmbient = true;
    else if (named) throw new NeedsTransform('TypeScript namespace declaration is not supported in strip-only mode');
  }

  private trackBraces(k: number): void {
    const { tt } = this.s;
    const t = this.tokens[k];
    if (t.type === tt.braceL || t.type === tt.dollarBraceL) {
      this.ambient.push(this.nextBraceAmbient);
      this.nextBraceAmbient = false;
    } else if (t.type === tt.braceR) this.ambient.pop();
  }

  private valueToken(t: Token): void {
    const { tt } = this.s;
    const k = this.i;
    switch (t.type) {
      case tt._enum:
        throw new NeedsTransform('TypeScript enum is not supported in strip-only mode');
      case tt._public:
      case tt._private:
      case tt._protected:
      case tt._readonly:
      case tt._override:
        if (this.isParamModifier(k)) {
          throw new NeedsTransform('TypeScript parameter property is not supported in strip-only mode');
        }
        return this.modifiers();
      case tt._abstract:
      case tt._declare:
        return this.modifiers();
      case tt.nonNullAssertion:
        this.out.blank(t.start, t.end);
        this.i++;
        return;
      case tt._import:
        return this.importStatement();
      case tt._export:
        return this.exportStatement();
      default:
        this.trackBraces(k);
        this.i++;
    }
  }

  /** A modifier in a parameter list (`(private x)`, `(a, readonly b)`, `(private readonly c)`). */
  private isParamModifier(k: number): boolean {
    const { tt } = this.s;
    let j = k - 1;
    while (j >= 0 && this.modifierTypes.includes(this.tokens[j].type)) j--;
    return this.is(j, tt.parenL) || this.is(j, tt.comma);
  }

  /**
   * Class modifiers TypeScript adds (`private`, `readonly`, `abstract`, `override`, `declare`) are
   * blanked. A member with `declare` or `abstract` has no code at all: the whole member goes.
   */
  private modifiers(): void {
    const { tt } = this.s;
    const start = this.i;
    // `abstract class`: only the word goes.
    if (this.is(start, tt._abstract) && this.is(start + 1, tt._class)) {
      this.blankTokens(start, start);
      this.i++;
      return;
    }
    let dropsMember = false;
    while (this.modifierTypes.includes(this.tokens[this.i].type) && !this.tokens[this.i].isType) {
      if (this.is(this.i, tt._abstract) || this.is(this.i, tt._declare)) dropsMember = true;
      this.i++;
    }
    if (!dropsMember) return this.blankTokens(start, this.i - 1);
    // The member's name (a word, a string, a number or a computed [key]), then its type tokens.
    let end = this.is(this.i, tt.bracketL) ? this.closing(this.i, tt.bracketL, tt.bracketR) + 1 : this.i + 1;
    while (end < this.tokens.length && this.tokens[end].isType && this.tokens[end].type !== tt.eof) end++;
    if (this.is(end, tt.semi)) end++;
    this.blankTokens(start, end - 1);
    this.out.put(this.tokens[start].start, ';');
    this.i = end;
  }

  /** `import type …` goes whole; `import x = …` needs a transform; the rest is JavaScript. */
  private importStatement(): void {
    const { tt, kw } = this.s;
    const k = this.i;
    const next = this.tokens[k + 1];
    const typeOnly =
      next?.type === tt.name && next.contextualKeyword === kw._type && (this.is(k + 2, tt.braceL) || this.is(k + 2, tt.star) || (this.is(k + 2, tt.name) && !this.isWord(k + 2, 'from')));
    // `import x = require('y')`, `import type x = N.y`.
    if (this.is(k + 1, tt.name) && this.is(typeOnly ? k + 3 : k + 2, tt.eq)) throw new NeedsTransform('TypeScript import equals declaration is not supported in strip-only mode');
    // `import a, { type B } from …`: the braces come after the default import.
    if (!typeOnly) return this.specifiers(this.is(k + 1, tt.name) && this.is(k + 2, tt.comma) ? k + 3 : k + 1);
    this.dropStatement(k);
  }

  /** `export type {…}` / `export type * from` go whole; `export =` and `export import` need a transform. */
  private exportStatement(): void {
    const { tt, kw } = this.s;
    const k = this.i;
    if (this.is(k + 1, tt.eq) || this.is(k + 1, tt._import)) throw new NeedsTransform('TypeScript export assignment is not supported in strip-only mode');
    const next = this.tokens[k + 1];
    if (next?.type === tt.name && next.contextualKeyword === kw._type && (this.is(k + 2, tt.braceL) || this.is(k + 2, tt.star))) return this.dropStatement(k);
    if (next?.type === tt.name && next.contextualKeyword === kw._as && this.isWord(k + 2, 'namespace')) return this.dropStatement(k);
    if (this.is(k + 1, tt.braceL)) return this.specifiers(k + 1);
    this.i++;
  }

  /**
   * A type-only import or export statement, blanked to its end: the module string (`from 'x'`),
   * else the closing `}` or the name (`export as namespace X`), and a `;` right after it.
   */
  private dropStatement(k: number): void {
    const { tt } = this.s;
    let end = k + 1;
    for (; end < this.tokens.length - 1; end++) {
      if (this.is(end, tt.string) || this.is(end, tt.semi)) break;
      if (this.is(end, tt.braceL)) {
        end = this.closing(end, tt.braceL, tt.braceR);
        if (!this.isWord(end + 1, 'from')) break;
      } else if (this.isWord(end - 1, 'namespace') && this.isWord(end - 2, 'as')) break;
    }
    if (this.is(end, tt.semi)) end--;
    if (this.is(end + 1, tt.semi)) end++;
    this.blankTokens(k, end);
    this.out.put(this.tokens[k].start, ';');
    this.i = end + 1;
  }

  /** The index of the token closing the bracket at k (`]` for `[`, `}` for `{`), or the last token. */
  private closing(k: number, open: number, close: number): number {
    let depth = 0;
    for (let j = k; j < this.tokens.length; j++) {
      // A template's `${` is closed by a `}` too.
      if (this.is(j, open) || (open === this.s.tt.braceL && this.is(j, this.s.tt.dollarBraceL))) depth++;
      else if (this.is(j, close) && --depth === 0) return j;
    }
    return this.tokens.length - 1;
  }

  /** Blanks tokens first..last one by one: comments and line breaks between them stay. */
  private blankTokens(first: number, last: number): void {
    for (let k = first; k <= last; k++) this.out.blank(this.tokens[k].start, this.tokens[k].end);
  }

  /** `{ type A, b }`: a type-only specifier goes with its comma. */
  private specifiers(k: number): void {
    const { tt } = this.s;
    this.i = k;
    if (!this.is(k, tt.braceL)) return;
    let j = k + 1;
    while (j < this.tokens.length && !this.is(j, tt.braceR) && !this.is(j, tt.eof)) {
      if (this.tokens[j].isType) {
        const from = j;
        while (this.tokens[j].isType) j++;
        const to = this.is(j, tt.comma) ? j : j - 1;
        this.blankTokens(from, to);
        j = to + 1;
      } else j++;
    }
    this.i = j + 1;
  }

  /**
   * Blanking can change how JavaScript reads what follows:
   * - a statement-level type declaration (`type A = 1` before a line starting with `(`) must still
   *   end the statement before it: it becomes `;` and spaces;
   * - an arrow function's return type over several lines would leave a line break before `=>`:
   *   the `)` moves to the end of the type.
   */
  private fixHazards(first: number, last: number): void {
    const { tt, kw } = this.s;
    const head = this.tokens[first];
    // Only a statement or a class member starts with these; `;` is an empty one of either.
    const startsDeclaration =
      head.type === tt._export ||
      head.type === tt._declare ||
      head.type === tt._abstract ||
      head.type === tt._function ||
      head.type === tt._enum ||
      (head.type === tt.name && [kw._type, kw._interface, kw._namespace, kw._module].includes(head.contextualKeyword));
    if (startsDeclaration) {
      this.out.put(head.start, ';');
      return;
    }
    if (head.type === tt.colon && this.is(first - 1, tt.parenR) && this.is(last + 1, tt.arrow)) {
      const close = this.tokens[first - 1];
      if (this.lineBreakBetween(close.end, this.tokens[last + 1].start)) {
        this.out.put(close.start, ' ');
        this.out.put(this.tokens[last].end - 1, ')');
      }
      return;
    }
    const after = this.tokens[last + 1];
    if (head.type === tt.name && (head.contextualKeyword === kw._as || head.contextualKeyword === kw._satisfies) && after && after.type !== tt.eof) {
      if (this.lineBreakBetween(this.tokens[last].end, after.start) && CONTINUES.has(this.code[after.start])) this.out.put(head.start, ';');
    }
  }

  private lineBreakBetween(from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (isLineBreak(this.code[i])) return true;
    return false;
  }
}
