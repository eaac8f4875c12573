// The runner compiles cells outside V8's compilation cache: scripts whose functions are gone are
// collected instead of being kept for the life of the runner; the cache still works for the rest.

import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { compileCell } from '../../../kernel/src/runtime/runner/compileCell';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function retainedPerScript(compile: (code: string, filename: string) => vm.Script, tag: string): number {
  const n = 2000;
  gc();
  const before = v8.getHeapStatistics().used_heap_size;
  for (let i = 0; i < n; i++) compile(`var ${tag} = ${i} + "${'x'.repeat(200)}"`, `/tmp/cell-${tag}-${i}.js`).runInThisContext();
  gc();
  return (v8.getHeapStatistics().used_heap_size - before) / n;
}

test('cells compiled by compileCell are not kept once they ran', () => {
  const plain = retainedPerScript((code, filename) => new vm.Script(code, { filename }), 'plainCell');
  const cells = retainedPerScript(compileCell, 'compiledCell');
  // V8's cache keeps each plain script (its ~230 characters of source and more); compileCell's go.
  expect(plain).toBeGreaterThan(300);
  expect(cells).toBeLessThan(100);
});

test('a cell that fails to compile throws the SyntaxError, and compiling goes on', () => {
  // (Thrown by the runner's realm, so not `instanceof` the test's SyntaxError: checked by name.)
  expect(() => compileCell('let = ;', '/tmp/bad-cell.js')).toThrow(expect.objectContaining({ name: 'SyntaxError', message: "Unexpected token ';'" }));
  expect(compileCell('6 * 7', '/tmp/good-cell.js').runInThisContext()).toBe(42);
});
