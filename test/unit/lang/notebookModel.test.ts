// The notebook model's cell liveness: cells that no name leads to are dropped from the program
// (at once when they declare nothing, else when superseded), cells a live cell imports from stay,
// and cells with global effects are never dropped.

import * as path from 'node:path';
import { NotebookModel } from '../../../kernel/src/lang/service/notebookModel';

const dir = path.resolve('/tmp/tskernel-model-test');

function model(): { m: NotebookModel; add: (code: string) => ReturnType<NotebookModel['add']>; live: () => string[] } {
  const m = new NotebookModel(dir, '.ts');
  let n = 0;
  return { m, add: (code) => m.add(code, ++n), live: () => m.historyFiles().map((f) => m.labelOf(f) ?? f) };
}

describe('NotebookModel liveness', () => {
  it('drops cells that declare nothing at once', () => {
    const { add, live } = model();
    expect(add('1 + 1').added).toBeUndefined();
    expect(add('const x = 1;').added).toBeDefined();
    expect(add('console.log(x);').added).toBeUndefined();
    expect(live()).toEqual(['Cell [2]']);
  });

  it('keeps only the latest definers of re-declared names', () => {
    const { add, live } = model();
    for (let i = 0; i < 100; i++) add(`const v${i % 10} = ${i}`);
    expect(live()).toEqual(Array.from({ length: 10 }, (_, i) => `Cell [${91 + i}]`));
  });

  it('reports superseded files as dropped, and keeps a cell while a live cell imports from it', () => {
    const { m, add, live } = model();
    add('interface Row { id: number }\nconst rows: Row[] = [];');
    const user = add('const first = rows[0];').added;
    const r = add('interface Row { name: string }\nconst rows: Row[] = [];');
    // Cell 1 still supplies `rows` (and its type) to cell 2.
    expect(r.dropped).toEqual([]);
    expect(live()).toEqual(['Cell [1]', 'Cell [2]', 'Cell [3]']);
    expect(m.textOf(user?.fileName ?? '')).toContain("import { rows } from './__tskernel_cell_1';");
    // Re-running cell 2 against the new `rows` drops both old cells (cascade).
    const again = add('const first = rows[0];');
    expect(again.dropped.map((f) => path.basename(f)).sort()).toEqual(['__tskernel_cell_1.ts', '__tskernel_cell_2.ts']);
    expect(live()).toEqual(['Cell [3]', 'Cell [4]']);
  });

  it('never drops cells with global effects', () => {
    const { add, live } = model();
    add('declare global { var flag: boolean }');
    add('import "reflect-metadata";');
    add('1 + 1');
    expect(live()).toEqual(['Cell [1]', 'Cell [2]']);
  });

  it('imports only mentioned names into history cells and checked cells, and everything for completion', () => {
    const { m, add } = model();
    add('const a = 1;\nlet b = 2;\ntype T = string;');
    const c = add('const c = a + 1;').added;
    expect(c?.text).toMatch(/^import \{ a \} from '\.\/__tskernel_cell_1';/);
    expect(c?.text).not.toContain(' b');
    const all = m.renderCurrent('b = 3;');
    expect([...all.imported.keys()].sort()).toEqual(['T', 'a', 'b', 'c']);
    expect(all.text).toContain('declare var b: typeof __tsk_b;');
    const checked = m.renderCurrent('a + 1;', 'mentioned');
    expect([...checked.imported.keys()].sort()).toEqual(['a']);
  });
});
