// The default libs joined into one file (kernel/src/lang/service/libBundle.ts): the same files in
// the order the compiler loads them, positions mapped back to the original file and line, the
// same type errors as with the separate files, and the cases where the libs load as usual.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { LibBundle } from '../../../kernel/src/lang/service/libBundle';

const LIB = ['lib.es2023.d.ts'];
const libDir = path.dirname(ts.getDefaultLibFilePath({}));
const lib = (name: string): string => path.join(libDir, name);

let dir: string;
let bundle: LibBundle | undefined;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tskernel-libs-'));
  bundle = LibBundle.for({ lib: LIB }, dir);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Diagnostics of `code` as /cell.ts, with the libs served by `bundle` (or read as usual). */
function diagnose(code: string, bundle: LibBundle | undefined): { program: ts.Program; messages: string[] } {
  const options: ts.CompilerOptions = { strict: true, noEmit: true, lib: LIB, target: ts.ScriptTarget.ES2022, types: [] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (file, language, onError, create) => {
    if (file === '/cell.ts') return ts.createSourceFile(file, code, language);
    const text = bundle?.textOf(file);
    return text === undefined ? getSourceFile(file, language, onError, create) : ts.createSourceFile(file, text, language);
  };
  const program = ts.createProgram(['/cell.ts'], options, host);
  const messages = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  return { program, messages };
}

describe('LibBundle', () => {
  it('joins the libs the compiler would load, in its order', () => {
    expect(bundle).toBeDefined();
    const { program } = diagnose('', undefined);
    const loaded = program
      .getSourceFiles()
      .map((f) => f.fileName)
      .filter((f) => f.startsWith(libDir));
    expect(loaded.length).toBeGreaterThan(40);
    expect(bundle!.files).toEqual(loaded.map((f) => path.normalize(f)));
    expect(bundle!.fileName).toBe(lib('lib.es2023.d.ts'));
  });

  it('serves the joined text as the first lib, the other joined libs empty, the rest as usual', () => {
    expect(bundle!.textOf(lib('lib.es2023.d.ts'))).toBe(bundle!.text);
    expect(bundle!.textOf(lib('lib.es5.d.ts'))).toBe('');
    expect(bundle!.textOf(lib('lib.es2020.d.ts'))).toBe('');
    expect(bundle!.textOf(lib('lib.dom.d.ts'))).toBeUndefined();
    expect(bundle!.textOf(path.join(dir, 'cell.ts'))).toBeUndefined();
    // No lib reference is left to load the joined libs again.
    expect(ts.preProcessFile(bundle!.text, true, true).libReferenceDirectives).toEqual([]);
  });

  it('gives the same type errors as the separate lib files, in a program of fewer files', () => {
    // Members merged across lib files (es5 + es2015 + es2022 + es2023), and members of later libs.
    const code = [
      'const a = [3, 1].toSorted().at(0);',
      "'x'.replaceAll('x', 'y').at(-1);",
      'Object.groupBy([1], (n) => n);',
      'Promise.withResolvers<number>();',
      'const m = new Map<string, number>([["a", 1]]);',
      'm.get(1);',
    ].join('\n');
    const separate = diagnose(code, undefined);
    const joined = diagnose(code, bundle);
    expect(joined.messages).toEqual(separate.messages);
    expect(joined.messages).toEqual([
      expect.stringContaining("Property 'groupBy' does not exist on type 'ObjectConstructor'. Do you need to change your target library?"),
      "Parameter 'n' implicitly has an 'any' type.",
      expect.stringContaining("Property 'withResolvers' does not exist on type 'PromiseConstructor'."),
      "Argument of type 'number' is not assignable to parameter of type 'string'.",
    ]);
    expect(joined.program.getSourceFiles().length).toBeLessThan(separate.program.getSourceFiles().length - 40);
  });

  it('maps a position in the joined text to the original file and line', () => {
    const text = bundle!.text;
    for (const [needle, file] of [
      ['toSorted(compareFn?: (a: number', 'lib.es2023.array.d.ts'],
      ['interface ArrayConstructor {', 'lib.es5.d.ts'],
      ['replaceAll(searchValue: string', 'lib.es2021.string.d.ts'],
    ]) {
      const pos = text.indexOf(needle);
      expect(pos).toBeGreaterThan(0);
      const origin = bundle!.original(bundle!.fileName, pos + 3);
      expect(origin?.fileName).toBe(lib(file));
      expect(fs.readFileSync(lib(file), 'utf8').split('\n')[origin!.line]).toContain(needle);
    }
    expect(bundle!.original(lib('lib.es5.d.ts'), 10)).toBeUndefined();
    expect(bundle!.original(bundle!.fileName, text.length + 1)).toBeUndefined();
  });

  it('is not used without libs, when a package may replace one, or when turned off', () => {
    expect(LibBundle.for({ lib: LIB, noLib: true }, dir)).toBeUndefined();
    expect(LibBundle.for({ lib: [] }, dir)).toBeUndefined();
    expect(LibBundle.for({ lib: ['lib.nonexistent.d.ts'] }, dir)).toBeUndefined();
    // Without `lib`, the target's default lib (lib.es2022.full.d.ts: with the DOM).
    expect(LibBundle.for({ target: ts.ScriptTarget.ES2022 }, dir)?.files).toContain(lib('lib.dom.d.ts'));
    const replaced = path.join(dir, 'with-replacement');
    fs.mkdirSync(path.join(replaced, 'node_modules', '@typescript', 'lib-dom'), { recursive: true });
    expect(LibBundle.for({ lib: LIB }, path.join(replaced, 'sub'))).toBeUndefined();
    expect(LibBundle.for({ lib: LIB, libReplacement: false }, replaced)).toBeDefined();
    process.env.TSKERNEL_LIB_BUNDLE = 'off';
    try {
      expect(LibBundle.for({ lib: LIB }, dir)).toBeUndefined();
    } finally {
      delete process.env.TSKERNEL_LIB_BUNDLE;
    }
  });
});
