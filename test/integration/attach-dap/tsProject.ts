// A small HTTP server written in TypeScript and compiled by tsc (CommonJS, external .js.map files,
// src/ -> dist/) for the source-map tests of attached processes: type-only lines push the handler
// down, so .ts lines differ from the compiled .js lines; lazy.ts is required only on /lazy.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';

export const SERVER_TS = [
  "import * as http from 'node:http';", // 1
  '', // 2
  'interface Greeting {', // 3
  '  text: string;', // 4
  '  count: number;', // 5
  '}', // 6
  'type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;', // 7
  'let served: number = 0;', // 8
  'const handle: Handler = (req, res) => {', // 9
  "  const requested: string = req.url ?? '';", // 10  <- breakpoint
  "  if (requested.startsWith('/lazy')) { res.end(require('./lazy').lazyAnswer(requested)); return; }", // 11
  "  const greeting: Greeting = { text: 'hello ' + requested, count: ++served };", // 12
  "  res.end(greeting.text + ' #' + greeting.count);", // 13
  '};', // 14
  'const server = http.createServer(handle);', // 15
  "server.listen(0, process.env.BIND_HOST ?? '127.0.0.1', () => console.log('HTTP_PORT ' + (server.address() as { port: number }).port));", // 16
  '',
].join('\n');
export const HANDLER_LINE = 10;

export const LAZY_TS = [
  'export interface Answer {', // 1
  '  path: string;', // 2
  '}', // 3
  'export function lazyAnswer(path: string): string {', // 4
  '  const answer: Answer = { path };', // 5  <- breakpoint
  "  return 'lazy ' + answer.path;", // 6
  '}', // 7
  '',
].join('\n');
export const LAZY_LINE = 5;

export function compileProject(): { dir: string; serverTs: string; lazyTs: string; serverJs: string } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-srcmap-')));
  fs.mkdirSync(path.join(dir, 'src'));
  const serverTs = path.join(dir, 'src', 'server.ts');
  const lazyTs = path.join(dir, 'src', 'lazy.ts');
  fs.writeFileSync(serverTs, SERVER_TS);
  fs.writeFileSync(lazyTs, LAZY_TS);
  const program = ts.createProgram([serverTs, lazyTs], {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    rootDir: path.join(dir, 'src'),
    outDir: path.join(dir, 'dist'),
    sourceMap: true,
    esModuleInterop: true,
    strict: true,
    types: ['node'],
    typeRoots: [path.join(__dirname, '..', '..', '..', 'node_modules', '@types')],
  });
  const emitted = program.emit();
  if (emitted.emitSkipped) throw new Error('tsc emitted nothing');
  const serverJs = path.join(dir, 'dist', 'server.js');
  if (!fs.readFileSync(serverJs, 'utf8').includes('//# sourceMappingURL=server.js.map')) throw new Error('no source map reference');
  return { dir, serverTs, lazyTs, serverJs };
}
