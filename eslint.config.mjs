// ESLint (flat config) for the whole repository: `npm run lint`. TypeScript is linted with type
// information (typescript-eslint's project service finds each file's tsconfig). The rules kept are
// the ones that catch real bugs (unawaited promises, promises where a callback's result is ignored,
// casts that do nothing) plus import boundaries that encode the seams of docs/architecture.md: a file
// that crosses a seam fails lint with the reason. Style is Prettier's job (.prettierrc.json), so no
// formatting rules here.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Import paths are matched as written. Relative paths are matched with any number of leading
// "../", so a pattern for "wire" means "the src/wire folder, from wherever in kernel/src".
const up = '^(\\.\\./)+';
/** One restricted-import pattern: a regex on the import path and why it is not allowed. */
const seam = (regex, message, extra = {}) => ({ regex, message, ...extra });

const WIRE_KNOWS_NO_HANDLERS = 'wire/ knows no handlers: it frames, signs and routes messages; handlers live in core/ and app/ and are handed to it.';
const RUNTIME_BUILDS_NO_MESSAGES = 'The runtime never builds Jupyter messages: it reports events (runtime/protocol) and core/ turns them into messages.';
const DEBUGGER_NO_ZMQ = 'The debugger never touches ZeroMQ: it gets DAP requests and sends DAP responses/events through the callbacks app/ gives it.';
const RUNNER_IS_USER_SIDE =
  "runtime/runner runs inside the user's process: it may import only runtime/protocol, lang/transpile, agent/ (the in-process agent), link/, common/ and packages, never kernel-side modules.";
const LINK_IS_SHARED = 'link/ is the agent link format both sides import: it imports neither the kernel side nor the agent.';
const AGENT_IS_USER_SIDE = "agent/ runs inside the debugged process: it may import only link/, common/ and packages (and runtime/protocol for the runner's agent), never kernel-side modules.";
const LAB_TALKS_JUPYTER = 'The labextension talks to the kernel only through Jupyter messages: no kernel sources (type-only imports of the published tskernel request types are fine).';

const runtimeSeams = [seam(`${up}wire(/|$)`, RUNTIME_BUILDS_NO_MESSAGES), seam(`${up}core/messenger$`, RUNTIME_BUILDS_NO_MESSAGES)];
/** Runner files `depth` folders below runtime/ (runner/*.ts: 1, runner/compat/*.ts: 2). */
const runnerSeams = (depth) => {
  const toRuntime = '\\.\\./'.repeat(depth);
  return [
    ...runtimeSeams,
    // runtime/* other than runtime/protocol (client, api, processGroup are the kernel's side).
    seam(`^${toRuntime}(?!\\.\\./)(?!protocol$)[^/]+$`, RUNNER_IS_USER_SIDE),
    // src/* other than the user-side folders.
    seam(`^${toRuntime}\\.\\./(?!\\.\\./)(?!lang/transpile/|agent/|link/|common/)`, RUNNER_IS_USER_SIDE),
  ];
};
// Recommended rules that fight deliberate idioms of this code base rather than catch bugs.
const houseStyle = {
  // `if (x) (a = 1), i++;` and `cond && f()` are used on purpose in the scanners.
  '@typescript-eslint/no-unused-expressions': 'off',
  // Terminal output and handshake lines are validated by matching control characters.
  'no-control-regex': 'off',
  // `catch {}`: best-effort cleanup whose failure changes nothing.
  'no-empty': ['error', { allowEmptyCatch: true }],
  // Functions serialised into a debuggee (Runtime.callFunctionOn) walk their receiver through a local.
  '@typescript-eslint/no-this-alias': 'off',
  // Rethrowing a readable error without the low-level cause is sometimes what the user should see;
  // flag it, do not fail on it.
  'preserve-caught-error': 'warn',
  // `let panel; ... callbacks that read panel ...; panel = new Panel(...)`: const would be in its TDZ.
  'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
};
const restrict = (patterns) => ({ '@typescript-eslint/no-restricted-imports': ['error', { patterns }] });

export default defineConfig(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'kernel/agent-file/**',
      'kernel/labextension/**',
      'labextension/lib/**',
      'labextension/prebuilt/**',
      'lab/**',
      'test-artifacts/**',
      'bench/.cache/**',
      'bench/results/**',
      'coverage/**',
      '.jupyter-prefix/**',
      '.jupyter-test/**',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Correctness: a promise nobody awaits loses its rejection; an async callback where a void one
      // is expected (event emitters, sockets) turns a throw into an unhandled rejection.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: true, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      // Casts that change nothing hide the type they claim to fix.
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      // Type-only imports are erased, so importing a module for its types never runs it (the
      // labextension relies on this for tskernel's request types; ts-jest transpiles per file).
      // `typeof import('x')` beside a lazy require() is fine: it is a type, erased like the rest.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // tsc already reports unused locals (noUnusedLocals); `_name` marks a deliberately unused one.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Protocol payloads (CDP, DAP, Jupyter content) are typed where they are read; `any` in a few
      // adapters to untyped libraries is allowed, not encouraged.
      '@typescript-eslint/no-explicit-any': 'off',
      ...houseStyle,
    },
  },
  {
    // `import * as ts from 'typescript'` compiles (esModuleInterop) to __importStar, which gives
    // each importing file its own copy of the compiler's ~2,200 exports as getter closures (40,000 in
    // the language worker: 7 MB of heap, and two getter calls per `ts.` access). A default import
    // is one wrapper object. Type-only namespace imports are erased and stay allowed.
    files: ['kernel/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[importKind='value'][source.value='typescript'] > ImportNamespaceSpecifier",
          message: "Import the compiler as `import ts from 'typescript'`: a namespace import copies its ~2,200 exports into getters per file.",
        },
      ],
    },
  },
  {
    // JavaScript: build and bench scripts, the browser scenarios, configs. No type information.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { ...globals.node } },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off', ...houseStyle },
  },
  {
    files: ['jest.config.js', 'test/pack/jest.config.js', 'test/helpers/debugRunner.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    files: ['test/e2e/**/*.js'],
    // Scenario bodies passed to page.evaluate run in the browser.
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['labextension/src/**'],
    languageOptions: { globals: { ...globals.browser } },
    // `export namespace CommandIDs { ... }` is JupyterLab's convention for extension constants.
    rules: { '@typescript-eslint/no-namespace': 'off' },
  },

  // ---- Seams (docs/architecture.md). A later block replaces an earlier one's patterns for the same
  // file, so the runner's blocks repeat the runtime's patterns.
  { files: ['kernel/src/wire/**/*.ts'], rules: restrict([seam(`${up}(core|app|runtime|debugger|lang)(/|$)`, WIRE_KNOWS_NO_HANDLERS)]) },
  { files: ['kernel/src/runtime/**/*.ts'], rules: restrict(runtimeSeams) },
  { files: ['kernel/src/runtime/runner/*.ts'], rules: restrict(runnerSeams(1)) },
  { files: ['kernel/src/runtime/runner/compat/*.ts'], rules: restrict(runnerSeams(2)) },
  { files: ['kernel/src/link/**/*.ts'], rules: restrict([seam('^\\.\\./', LINK_IS_SHARED)]) },
  { files: ['kernel/src/agent/**/*.ts'], rules: restrict([seam('^\\.\\./(?!link/|common/|runtime/protocol$)', AGENT_IS_USER_SIDE)]) },
  {
    files: ['kernel/src/debugger/**/*.ts'],
    rules: restrict([seam(`${up}wire(/|$)`, DEBUGGER_NO_ZMQ), seam('^zeromq(/|$)', DEBUGGER_NO_ZMQ)]),
  },
  {
    files: ['labextension/src/**/*.ts', 'labextension/src/**/*.tsx'],
    rules: restrict([seam(`${up}(kernel|agent)(/|$)`, LAB_TALKS_JUPYTER), seam('^(tskernel|@tskernel/agent)(/|$)', LAB_TALKS_JUPYTER, { allowTypeImports: true })]),
  },
);
