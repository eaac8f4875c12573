// Naming and hiding of discovered processes, and the console formatting of by-port output: pure
// functions over argv and CDP RemoteObjects.

import { formatConsoleArgs } from '../../../kernel/src/attach/consoleForward';
import { OutputLimiter } from '../../../kernel/src/targets/outputLimiter';
import { hiddenReason, processLabel, scriptOf, shownCommand } from '../../../kernel/src/attach/processFilter';

describe('process labels', () => {
  it.each([
    [['node', '/srv/app/server.js', '--port', '1'], 'server.js (pid 7)'],
    [['/usr/bin/node', '-r', 'dotenv/config', '--inspect-port=0', 'dist/main.js'], 'main.js (pid 7)'],
    [['node', '--import', './hooks.mjs', 'app.mjs'], 'app.mjs (pid 7)'],
    [['node', '-e', 'setInterval(() => {}, 1)'], 'node (pid 7)'],
    [['/opt/node20/bin/node'], 'node (pid 7)'],
  ])('%j -> %s', (argv, label) => {
    expect(processLabel(7, argv)).toBe(label);
  });

  it('finds the script after --', () => {
    expect(scriptOf(['node', '--', 'x.js'])).toBe('x.js');
  });

  it('the tooltip command is redacted and capped', () => {
    expect(shownCommand(['node', 'srv.js', '--token', 'abc', 'JUPYTER_TOKEN=zz'])).toBe('node srv.js --token *** JUPYTER_TOKEN=***');
    expect(shownCommand(['node', 'x'.repeat(1000)]).length).toBe(300);
  });
});

describe('hidden processes', () => {
  it.each([
    [['node', '/usr/lib/node_modules/npm/bin/npm-cli.js', 'start']],
    [['node', '/usr/lib/node_modules/npm/bin/npx-cli.js', 'jest']],
    [['node', '/home/u/.venv/lib/python3.11/site-packages/jupyterlab/staging/yarn.js', 'build']],
    [['node', '/usr/local/bin/configurable-http-proxy', '--ip', '']],
    [['node', '/home/u/node_modules/tskernel/dist/cli/main.js', 'kernel', '-f', 'k.json']],
    [['node', '--no-warnings=ExperimentalWarning', '/x/tskernel/kernel/dist/runtime/runner/main.js']],
  ])('%j is hidden', (argv) => {
    expect(hiddenReason(argv)).toBeDefined();
  });

  it.each([[['node', 'server.js']], [['node', '/srv/npm-tools/app.js']], [['node', '/srv/jupyter-notes/index.js']]])('%j is shown', (argv) => {
    expect(hiddenReason(argv)).toBeUndefined();
  });
});

describe('console formatting of by-port output', () => {
  const s = (value: string) => ({ type: 'string', value });
  it('formats like Node: format string, primitives, objects from their preview', () => {
    expect(formatConsoleArgs([s('a %s=%d%%'), s('x'), { type: 'number', value: 3, description: '3' }, { type: 'undefined' }])).toBe('a x=3% undefined');
    expect(
      formatConsoleArgs([
        { type: 'object', subtype: 'null', value: null },
        { type: 'bigint', unserializableValue: '5n' },
      ]),
    ).toBe('null 5n');
    const preview = {
      type: 'object',
      subtype: undefined,
      description: 'Object',
      overflow: false,
      properties: [
        { name: 'a', type: 'number', value: '1' },
        { name: 'b', type: 'string', value: 'x' },
      ],
    };
    expect(formatConsoleArgs([{ type: 'object', className: 'Object', description: 'Object', preview }])).toBe("{ a: 1, b: 'x' }");
    const arr = {
      type: 'object',
      subtype: 'array',
      description: 'Array(2)',
      overflow: false,
      properties: [
        { name: '0', type: 'number', value: '1' },
        { name: '1', type: 'number', value: '2' },
      ],
    };
    expect(formatConsoleArgs([{ type: 'object', subtype: 'array', description: 'Array(2)', preview: arr }])).toBe('[ 1, 2 ]');
  });

  it('ignores hostile shapes instead of throwing', () => {
    expect(formatConsoleArgs([null, 5, 'x', { type: 'object', preview: { properties: 'nope' } }])).toBe('   {}');
  });
});

describe('OutputLimiter', () => {
  it('passes the budget, drops and counts the rest, and cleans control characters', () => {
    const l = new OutputLimiter(10);
    expect(l.admit('abc\x1b[2J\n')).toBe('abc?[2J\n');
    expect(l.admit('0123456789')).toBe('01');
    expect(l.admit('more')).toBeUndefined();
    expect(l.dropped).toBe(8 + 4);
  });
});
