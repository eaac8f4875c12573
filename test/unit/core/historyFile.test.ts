// The history file: cells are appended off the execute path (after the cell's turn), a burst in
// one write, and a later kernel reads them back as an earlier session.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { History } from '../../../kernel/src/core/history';

const lines = (file: string): Array<{ s: number; l: number; i: string }> =>
  fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { s: number; l: number; i: string })
    : [];

test('cells reach the file after their turn, and the next kernel serves them as the previous session', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-hist-'));
  const file = path.join(dir, 'sub', 'history.jsonl');
  try {
    const h = new History(file);
    h.add(1, 'const a = 1');
    h.add(2, 'a + 1');
    // Not written during the cell's own turn...
    expect(lines(file)).toEqual([]);
    // ...but soon after (bounded wait for the asynchronous append).
    const deadline = Date.now() + 5000;
    while (lines(file).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(lines(file).map((e) => [e.s, e.l, e.i])).toEqual([
      [1, 1, 'const a = 1'],
      [1, 2, 'a + 1'],
    ]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const next = new History(file);
    expect(next.session).toBe(2);
    expect(next.query({ hist_access_type: 'range', session: -1, start: 1, stop: 3 })).toEqual([
      [1, 1, 'const a = 1'],
      [1, 2, 'a + 1'],
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
