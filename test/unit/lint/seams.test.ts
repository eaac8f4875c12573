// The import boundaries in eslint.config.mjs encode the seams of docs/design.md. Each case lints a
// one-line import as if it were written in a real file of the tree (ESLint's own API, in a separate
// Node: the config is an ES module) and checks that a crossing fails with the seam's reason and
// that the allowed imports next to it pass. Only the boundary rule runs, without type information.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

interface Case {
  file: string;
  code: string;
  /** A word of the seam's message when the import must fail; undefined when it must pass. */
  fails?: string;
}

const cases: Case[] = [
  { file: 'kernel/src/wire/frames.ts', code: "import { Kernel } from '../core/kernel';", fails: 'wire/ knows no handlers' },
  { file: 'kernel/src/wire/frames.ts', code: "import type { DebuggerApi } from '../debugger/api';", fails: 'wire/ knows no handlers' },
  { file: 'kernel/src/wire/frames.ts', code: "import { logger } from '../common/log';" },
  { file: 'kernel/src/runtime/client.ts', code: "import { Messenger } from '../core/messenger';", fails: 'never builds Jupyter messages' },
  { file: 'kernel/src/runtime/client.ts', code: "import { sign } from '../wire/signature';", fails: 'never builds Jupyter messages' },
  { file: 'kernel/src/runtime/client.ts', code: "import type { ToRunner } from './protocol';" },
  { file: 'kernel/src/runtime/runner/main.ts', code: "import { RunnerClient } from '../client';", fails: "inside the user's process" },
  { file: 'kernel/src/runtime/runner/main.ts', code: "import { LanguageService } from '../../lang/service';", fails: "inside the user's process" },
  { file: 'kernel/src/runtime/runner/main.ts', code: "import { Messenger } from '../../core/messenger';", fails: 'never builds Jupyter messages' },
  { file: 'kernel/src/runtime/runner/main.ts', code: "import { RUNNER_CONTROL_FD } from '../protocol';" },
  { file: 'kernel/src/runtime/runner/main.ts', code: "import { stripTypes } from '../../lang/transpile/strip';" },
  { file: 'kernel/src/runtime/runner/main.ts', code: "import { startRunnerAgent } from '../../agent/runnerAgent';" },
  { file: 'kernel/src/runtime/runner/compat/tslab.ts', code: "import { RunnerClient } from '../../client';", fails: "inside the user's process" },
  { file: 'kernel/src/runtime/runner/compat/tslab.ts', code: "import { Kernel } from '../../../core/kernel';", fails: "inside the user's process" },
  { file: 'kernel/src/runtime/runner/compat/tslab.ts', code: "import { display } from '../display';" },
  { file: 'kernel/src/runtime/runner/compat/tslab.ts', code: "import type { MimeBundle } from '../../protocol';" },
  { file: 'kernel/src/debugger/adapter.ts', code: "import * as zmq from 'zeromq';", fails: 'never touches ZeroMQ' },
  { file: 'kernel/src/debugger/handlers/jupyter.ts', code: "import { encodeFrames } from '../../wire/frames';", fails: 'never touches ZeroMQ' },
  { file: 'kernel/src/debugger/adapter.ts', code: "import type { CdpTarget } from '../targets/target';" },
  { file: 'labextension/src/model.ts', code: "import { NodeProcessInfo } from 'tskernel/dist/attach/requests';", fails: 'only through Jupyter messages' },
  { file: 'labextension/src/model.ts', code: "import type { NodeProcessInfo } from '../../kernel/src/attach/requests';", fails: 'only through Jupyter messages' },
  { file: 'labextension/src/model.ts', code: "import type { NodeProcessInfo } from 'tskernel/dist/attach/requests';" },
];

/** Lints every case in one Node process; returns, per case, the boundary messages. */
function lintCases(): string[][] {
  const script = `
    import { ESLint } from 'eslint';
    const cases = JSON.parse(process.argv[1]);
    const eslint = new ESLint({
      cwd: ${JSON.stringify(ROOT)},
      overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
      ruleFilter: ({ ruleId }) => ruleId === '@typescript-eslint/no-restricted-imports',
    });
    const out = [];
    for (const c of cases) {
      const [r] = await eslint.lintText(c.code + '\\n', { filePath: c.file });
      out.push(r.messages.map((m) => (m.ruleId ?? 'fatal') + ': ' + m.message));
    }
    console.log(JSON.stringify(out));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(cases)], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`eslint run failed (${r.status ?? r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout) as string[][];
}

describe('lint: import boundaries (eslint.config.mjs)', () => {
  const results = lintCases();
  it.each(cases.map((c, i) => [`${c.file}: ${c.code}`, i] as const))('%s', (_name, i) => {
    const c = cases[i];
    const messages = results[i];
    if (c.fails === undefined) expect(messages).toEqual([]);
    else {
      // A runner file crossing into core/messenger breaks two seams and hears about both.
      expect(messages.length).toBeGreaterThan(0);
      for (const m of messages) expect(m).toMatch(/^@typescript-eslint\/no-restricted-imports: /);
      expect(messages.some((m) => m.includes(c.fails!))).toBe(true);
    }
  });
});
