// Debugger integration harness: spawns a runner-like process (debugRunner.js) with the CDP pipe on
// fd 4, hands its link to a real adapter made by createDebugger(), and offers a small DAP client
// that waits for specific events with deadlines (never sleeps).

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import * as ts from 'typescript';
import { CellFiles } from '../../kernel/src/common/cellFiles';
import { logger } from '../../kernel/src/common/log';
import type { DapEvent, DapResponse, IDebugger, RunnerCdpLink } from '../../kernel/src/debugger/api';
import { createDebugger } from '../../kernel/src/debugger';
import { jlabInitializeArgs } from './dapClient';

/** The in-runner agent and the link format it imports, as folder/file under kernel/src. */
const AGENT_FILES = ['link/framing', 'link/protocol', 'agent/relay', 'agent/agentWorker', 'agent/runnerAgent'];

/** Compiles the agent sources to a temp dir with kernel/src's layout (the child runs plain JS);
 * returns the folder that holds runnerAgent.js. */
function buildAgent(): string {
  const srcRoot = path.resolve(__dirname, '../../kernel/src');
  const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tskernel-agent-'));
  for (const f of AGENT_FILES) {
    const src = fs.readFileSync(path.join(srcRoot, f + '.ts'), 'utf8');
    const out = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
    fs.mkdirSync(path.dirname(path.join(outRoot, f)), { recursive: true });
    fs.writeFileSync(path.join(outRoot, f + '.js'), out.outputText);
  }
  return path.join(outRoot, 'agent');
}

let agentDir: string | undefined;

export class RunnerProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: RunResult) => void>();
  readonly ready: Promise<void>;

  private constructor(readonly proc: ChildProcess) {
    let buf = '';
    let markReady!: () => void;
    this.ready = new Promise((r) => (markReady = r));
    for (const s of proc.stdio) s?.on('error', () => undefined);
    const control = proc.stdio[3] as Duplex;
    control.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const msg = JSON.parse(buf.slice(0, i)) as RunResult & { ready?: boolean };
        buf = buf.slice(i + 1);
        if (msg.ready) markReady();
        else this.waiting.get(msg.id)?.(msg);
      }
    });
    proc.stderr?.on('data', (d: Buffer) => {
      if (process.env.TSKERNEL_TEST_VERBOSE) process.stderr.write(d);
    });
  }

  static start(): RunnerProcess {
    agentDir ??= buildAgent();
    const proc = spawn(process.execPath, [path.join(__dirname, 'debugRunner.js'), agentDir], { stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'] });
    return new RunnerProcess(proc);
  }

  get link(): RunnerCdpLink {
    return { stream: this.proc.stdio[4] as Duplex, pid: this.proc.pid! };
  }

  /** Runs code under a filename; resolves when the run (and its promise) completes. */
  run(code: string, filename: string): Promise<RunResult> {
    const id = this.nextId++;
    const done = new Promise<RunResult>((r) => this.waiting.set(id, r));
    (this.proc.stdio[3] as Duplex).write(JSON.stringify({ type: 'run', id, code, filename }) + '\n');
    return done;
  }

  stdout(): string {
    return this.out;
  }

  private out = '';
  captureStdout(): void {
    this.proc.stdout?.on('data', (d: Buffer) => (this.out += d.toString()));
  }

  kill(): void {
    this.proc.kill('SIGKILL');
  }
}

export interface RunResult {
  id: number;
  ok: boolean;
  error?: string;
  value?: unknown;
}

export class DebugHarness {
  readonly cells = new CellFiles('typescript');
  readonly events: DapEvent[] = [];
  readonly dbg: IDebugger;
  private seq = 1;
  private runnerCb?: (link: RunnerCdpLink) => void;
  private eventWaiters: (() => void)[] = [];

  constructor(public runner: RunnerProcess) {
    runner.captureStdout();
    this.dbg = createDebugger({
      language: 'typescript',
      cells: this.cells,
      emit: (e) => {
        this.events.push(e);
        for (const w of this.eventWaiters.splice(0)) w();
      },
      onRunner: (cb) => {
        this.runnerCb = cb;
        cb(runner.link);
      },
      log: logger('dap'),
    });
  }

  static async start(): Promise<DebugHarness> {
    const runner = RunnerProcess.start();
    await runner.ready;
    return new DebugHarness(runner);
  }

  /** Simulates a runner restart: a new process, handed to the adapter like the runtime does. */
  async restartRunner(): Promise<void> {
    this.runner.kill();
    this.runner = RunnerProcess.start();
    await this.runner.ready;
    this.runner.captureStdout();
    this.runnerCb?.(this.runner.link);
    await this.dbg.ready();
  }

  async request(command: string, args?: unknown): Promise<DapResponse> {
    const seq = this.seq++;
    const r = await this.dbg.handleRequest({ seq, type: 'request', command, ...(args !== undefined ? { arguments: args } : {}) });
    expectWellFormed(r, seq, command);
    return r;
  }

  /** Like request, but fails the test with the adapter's message when success is false. */
  async ok<B = Record<string, unknown>>(command: string, args?: unknown): Promise<B> {
    const r = await this.request(command, args);
    if (!r.success) throw new Error(`${command} failed: ${r.message}`);
    return r.body as B;
  }

  /** Records the cell like the runtime does, then runs it under its cell path. */
  runCell(code: string): { path: string; done: Promise<RunResult> } {
    const p = this.cells.pathFor(code);
    this.cells.record({ path: p, source: code });
    return { path: p, done: this.dbg.ready().then(() => this.runner.run(code, p)) };
  }

  /** Index to wait from: events at or after this index count. */
  mark(): number {
    return this.events.length;
  }

  async waitEvent(name: string, from = 0, timeoutMs = 5000, pred: (e: DapEvent) => boolean = () => true): Promise<DapEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = this.events.slice(from).find((x) => x.event === name && pred(x));
      if (e) return e;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for '${name}' event; got: ${this.events
            .slice(from)
            .map((x) => x.event)
            .join(', ')}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.eventWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async start(): Promise<void> {
    await this.ok('initialize', jlabInitializeArgs('typescript'));
    await this.ok('attach', {});
  }

  /**
   * For afterEach: no breakpoint or exception filter stays set and no thread stays paused, so a
   * test that failed half-way leaves the runner usable for the next (breakpoints go first, so a
   * resumed cell runs to its end).
   */
  async releaseAll(): Promise<void> {
    const info = await this.ok<{ isStarted: boolean; breakpoints: { source: string }[]; stoppedThreads: number[] }>('debugInfo', {});
    if (!info.isStarted) return;
    for (const b of info.breakpoints) await this.ok('setBreakpoints', { source: { path: b.source }, breakpoints: [] });
    await this.ok('setExceptionBreakpoints', { filters: [] });
    for (const threadId of info.stoppedThreads) await this.request('continue', { threadId });
  }

  async stop(): Promise<void> {
    await this.dbg.dispose();
    this.runner.kill();
  }
}

export function expectWellFormed(r: DapResponse, seq: number, command: string): void {
  if (r.type !== 'response' || r.request_seq !== seq || r.command !== command || typeof r.seq !== 'number' || typeof r.success !== 'boolean') {
    throw new Error(`malformed response: ${JSON.stringify(r)}`);
  }
  if (!r.success && !r.message) throw new Error(`failure without message: ${JSON.stringify(r)}`);
}
