// tskernel install/uninstall: kernelspecs, the prebuilt JupyterLab extension in
// <data dir>/labextensions/@tskernel/labextension, and the variable-filter settings overrides
// merged into (and taken out of) an existing overrides.json.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEBUGGER_PLUGIN, install, LABEXTENSION_NAME, uninstall, VARIABLE_FILTERS } from '../../../kernel/src/cli/install';

let tmp: string;
let prebuilt: string;

/** A fake prebuilt extension: the layout build-labextension writes. */
function makePrebuilt(dir: string): void {
  fs.mkdirSync(path.join(dir, 'static'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'schemas', '@tskernel', 'labextension'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'static', 'remoteEntry.abc.js'), '/* entry */');
  fs.writeFileSync(path.join(dir, 'schemas', '@tskernel', 'labextension', 'plugin.json'), '{"type":"object"}');
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: LABEXTENSION_NAME, version: '0.1.0', jupyterlab: { _build: { load: 'static/remoteEntry.abc.js', extension: './extension' } } }),
  );
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tskernel-install-'));
  prebuilt = path.join(tmp, 'prebuilt');
  makePrebuilt(prebuilt);
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('install --prefix copies the extension next to the kernelspecs; uninstall removes it', () => {
  const prefix = path.join(tmp, 'prefix');
  const data = path.join(prefix, 'share', 'jupyter');
  const lines = install({ kind: 'prefix', dir: prefix }, { labextension: prebuilt });
  const ext = path.join(data, 'labextensions', '@tskernel', 'labextension');
  expect(lines.some((l) => l.includes(ext))).toBe(true);
  expect(fs.existsSync(path.join(data, 'kernels', 'typescript', 'kernel.json'))).toBe(true);
  expect(fs.readFileSync(path.join(ext, 'static', 'remoteEntry.abc.js'), 'utf8')).toBe('/* entry */');
  expect(fs.existsSync(path.join(ext, 'schemas', '@tskernel', 'labextension', 'plugin.json'))).toBe(true);
  expect(JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8')).jupyterlab._build.load).toBe('static/remoteEntry.abc.js');

  // Re-install replaces stale files.
  fs.writeFileSync(path.join(ext, 'static', 'stale.js'), '');
  install({ kind: 'prefix', dir: prefix }, { labextension: prebuilt });
  expect(fs.existsSync(path.join(ext, 'static', 'stale.js'))).toBe(false);

  const removed = uninstall({ kind: 'prefix', dir: prefix });
  expect(removed.some((l) => l.startsWith('removed JupyterLab extension'))).toBe(true);
  expect(fs.existsSync(ext)).toBe(false);
  expect(fs.existsSync(path.join(data, 'labextensions', '@tskernel'))).toBe(false);
  expect(fs.existsSync(path.join(data, 'kernels', 'typescript'))).toBe(false);
  // Our overrides were the only content: the file is gone too.
  expect(fs.existsSync(path.join(data, 'lab', 'settings', 'overrides.json'))).toBe(false);
});

test('without a built extension the kernelspecs are installed anyway, with a note', () => {
  const prefix = path.join(tmp, 'prefix');
  const saved = process.env.TSKERNEL_LABEXTENSION_DIR;
  process.env.TSKERNEL_LABEXTENSION_DIR = path.join(tmp, 'missing');
  let lines: string[];
  try {
    lines = install({ kind: 'prefix', dir: prefix });
  } finally {
    if (saved === undefined) delete process.env.TSKERNEL_LABEXTENSION_DIR;
    else process.env.TSKERNEL_LABEXTENSION_DIR = saved;
  }
  expect(lines.filter((l) => l.startsWith('note:'))).toHaveLength(1);
  expect(fs.existsSync(path.join(prefix, 'share', 'jupyter', 'kernels', 'javascript', 'kernel.json'))).toBe(true);
  expect(fs.existsSync(path.join(prefix, 'share', 'jupyter', 'labextensions', '@tskernel', 'labextension'))).toBe(false);
  expect(uninstall({ kind: 'prefix', dir: prefix }).some((l) => l.startsWith('no JupyterLab extension'))).toBe(true);
});

test('TSKERNEL_LABEXTENSION_DIR points install at a prebuilt extension', () => {
  const prefix = path.join(tmp, 'prefix');
  const saved = process.env.TSKERNEL_LABEXTENSION_DIR;
  process.env.TSKERNEL_LABEXTENSION_DIR = prebuilt;
  try {
    install({ kind: 'prefix', dir: prefix });
  } finally {
    if (saved === undefined) delete process.env.TSKERNEL_LABEXTENSION_DIR;
    else process.env.TSKERNEL_LABEXTENSION_DIR = saved;
  }
  expect(fs.existsSync(path.join(prefix, 'share', 'jupyter', 'labextensions', '@tskernel', 'labextension', 'package.json'))).toBe(true);
});

test('variable filters are merged into an existing overrides.json and taken out again', () => {
  const prefix = path.join(tmp, 'prefix');
  const file = path.join(prefix, 'share', 'jupyter', 'lab', 'settings', 'overrides.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const existing = {
    '@jupyterlab/apputils-extension:themes': { theme: 'JupyterLab Dark' },
    [DEBUGGER_PLUGIN]: { variableFilters: { python3: ['__builtins__'], typescript: ['mine'] }, autoCollapseDebuggerSidebar: true },
  };
  fs.writeFileSync(file, JSON.stringify(existing));
  install({ kind: 'prefix', dir: prefix }, { labextension: null });
  const merged = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(merged['@jupyterlab/apputils-extension:themes']).toEqual({ theme: 'JupyterLab Dark' });
  expect(merged[DEBUGGER_PLUGIN].autoCollapseDebuggerSidebar).toBe(true);
  expect(merged[DEBUGGER_PLUGIN].variableFilters.python3).toEqual(['__builtins__']);
  expect(merged[DEBUGGER_PLUGIN].variableFilters.typescript).toEqual(['mine', ...VARIABLE_FILTERS]);
  expect(merged[DEBUGGER_PLUGIN].variableFilters.javascript).toEqual(VARIABLE_FILTERS);
  // Installing twice does not duplicate names.
  install({ kind: 'prefix', dir: prefix }, { labextension: null });
  expect(JSON.parse(fs.readFileSync(file, 'utf8'))[DEBUGGER_PLUGIN].variableFilters.typescript).toEqual(['mine', ...VARIABLE_FILTERS]);

  uninstall({ kind: 'prefix', dir: prefix });
  expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
    '@jupyterlab/apputils-extension:themes': { theme: 'JupyterLab Dark' },
    [DEBUGGER_PLUGIN]: { variableFilters: { python3: ['__builtins__'], typescript: ['mine'] }, autoCollapseDebuggerSidebar: true },
  });
});

test('an overrides.json that is not JSON is left alone', () => {
  const prefix = path.join(tmp, 'prefix');
  const file = path.join(prefix, 'share', 'jupyter', 'lab', 'settings', 'overrides.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '{ not json');
  const lines = install({ kind: 'prefix', dir: prefix }, { labextension: null });
  expect(lines.some((l) => l.startsWith('note: left'))).toBe(true);
  expect(fs.readFileSync(file, 'utf8')).toBe('{ not json');
  uninstall({ kind: 'prefix', dir: prefix });
  expect(fs.readFileSync(file, 'utf8')).toBe('{ not json');
});

test('--user puts the extension in the user data dir and the filters in labconfig', () => {
  const saved = { data: process.env.JUPYTER_DATA_DIR, config: process.env.JUPYTER_CONFIG_DIR };
  process.env.JUPYTER_DATA_DIR = path.join(tmp, 'data');
  process.env.JUPYTER_CONFIG_DIR = path.join(tmp, 'config');
  try {
    install({ kind: 'user' }, { labextension: prebuilt });
    expect(fs.existsSync(path.join(tmp, 'data', 'labextensions', '@tskernel', 'labextension', 'package.json'))).toBe(true);
    const cfg = path.join(tmp, 'config', 'labconfig', 'default_setting_overrides.json');
    expect(JSON.parse(fs.readFileSync(cfg, 'utf8'))[DEBUGGER_PLUGIN].variableFilters.javascript).toEqual(VARIABLE_FILTERS);
    uninstall({ kind: 'user' });
    expect(fs.existsSync(path.join(tmp, 'data', 'labextensions', '@tskernel', 'labextension'))).toBe(false);
    expect(fs.existsSync(cfg)).toBe(false);
  } finally {
    for (const [k, v] of [
      ['JUPYTER_DATA_DIR', saved.data],
      ['JUPYTER_CONFIG_DIR', saved.config],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
