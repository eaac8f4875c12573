// The kernel's side of the runner: spawns the runner child process (control pipe fd 3, CDP pipe
// fd 4 for the debugger agent, stdin pipe fd 5), routes its messages to an output sink, runs
// executions one at a time, delivers interrupts, and replaces the runner when it dies
// (process.exit, crash, out of memory) or will not stop — reporting what happened in the cell.
// The runner leads its own process group, so ending it (restart, shutdown) ends the processes
// its cells started too; those are named in the cell output (restart) or the log (shutdown).

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import { LineReader } from '../common/lineReader';
import { logger } from '../common/log';
import { describeEnded, groupMembers, signalGroup, type GroupMember } from './processGroup';
import type { Done, IRunnerLink, IRuntime, OutputSink } from './api';
import type { ExecuteOrder, FromRunner, ToRunner } from './protocol';

const log = logger('runtime');

interface Runner {
  child: ChildProcess;
  ready: Promise<void>;
  pid: number;
  stderrTail: string[];
  exited: boolean;
}

const INTERRUPT_GRACE_MS = 2000;
/**
 * Interrupt retries: soon at first (a SIGINT that lands while the runner is still receiving or
 * compiling the cell is lost, and on a loaded machine that window is milliseconds), then every
 * 100 ms. Repeated signals are harmless to the runner (runner/sigint.ts).
 */
const INTERRUPT_RETRY_MS = [10, 20, 40, 80, 100];
const QUERY_TIMEOUT_MS = 250;
/** Shutdown: how long the runner's group gets to go on SIGTERM before SIGKILL. */
const TERM_GRACE_MS = 300;
const TERM_POLL_MS = 25;

export class RuntimeClient implements IRuntime, IRunnerLink {
  private runner!: Runner;
  private pending: { id: number; resolve: (d: Done) => void } | undefined;
  private readonly answers = new Map<number, (v: unknown) => void>();
  private nextQuery = 1;
  private interruptTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** Processes ended with a runner that died while no cell ran: told to the next cell. */
  private heldNote = '';

  constructor(
    private readonly sink: OutputSink,
    private readonly cwd: string,
  ) {}

  /** Spawns the runner (called once the kernel's sockets are bound, off the start-up path). */
  start(): void {
    this.runner ??= this.spawnRunner();
  }

  get pid(): number {
    this.start();
    return this.runner.pid;
  }

  get cdpStream(): Duplex {
    this.start();
    return this.runner.child.stdio[4] as Duplex;
  }

  whenReady(): Promise<void> {
    this.start();
    return this.runner.ready;
  }

  async execute(order: Omit<ExecuteOrder, 'type'>): Promise<Done> {
    await this.whenReady();
    if (this.heldNote) {
      this.sink.stream(order.id, 'stderr', this.heldNote);
      this.heldNote = '';
    }
    return new Promise<Done>((resolve) => {
      this.pending = { id: order.id, resolve };
      this.send({ type: 'execute', ...order });
    });
  }

  get busy(): boolean {
    return this.pending !== undefined;
  }

  /**
   * SIGINT to the runner, repeated while the cell is still running (a signal that lands just
   * before the cell starts is otherwise lost); if it still runs after a grace period (a loop in
   * a timer callback cannot be interrupted), the runner is restarted — but not while `busyUntil()`
   * (epoch ms, asked at every retry) lies ahead: a debugger evaluation running on the main thread,
   * which SIGINT cannot stop and V8 ends at its time limit.
   */
  interrupt(busyUntil: () => number = () => 0): void {
    const r = this.runner as Runner | undefined;
    if (!r || r.exited || !this.pending || this.interruptTimer) return;
    const id = this.pending.id;
    const started = Date.now();
    let tries = 0;
    const tick = (): void => {
      if (this.pending?.id !== id || this.runner !== r) {
        this.interruptTimer = undefined;
        return;
      }
      if (Date.now() - started >= INTERRUPT_GRACE_MS && Date.now() >= busyUntil() + INTERRUPT_GRACE_MS / 2) {
        this.interruptTimer = undefined;
        log.warn('runner did not stop on SIGINT; restarting it');
        this.restart('The cell did not stop when interrupted (an asynchronous loop?), so the runner process was restarted. Variables were lost.');
        return;
      }
      // The signal stops synchronous code (breakOnSigint); the order ends an awaiting cell. None
      // while busyUntil() lies ahead: SIGINT cannot stop a debugger evaluation, and right after the
      // debugger signalled a paused cell a second one may land while Node's vm has SIGINT at its
      // default (exit) as the cell unwinds — killing the runner.
      if (Date.now() >= busyUntil()) r.child.kill('SIGINT');
      this.send({ type: 'interrupt', id });
      this.interruptTimer = setTimeout(tick, INTERRUPT_RETRY_MS[Math.min(tries++, INTERRUPT_RETRY_MS.length - 1)]);
    };
    tick();
  }

  /** Names of members of a runtime value (`a.b`), or [] if the runner is busy. */
  members(expression: string): Promise<string[]> {
    return this.query({ type: 'members', id: 0, expression }, [] as string[]) as Promise<string[]>;
  }

  preview(expression: string): Promise<string | null> {
    return this.query({ type: 'preview', id: 0, expression }, null) as Promise<string | null>;
  }

  commInfo(targetName?: string): Promise<Record<string, { target_name: string }>> {
    return this.query({ type: 'comm_info', id: 0, target_name: targetName }, {}) as Promise<Record<string, { target_name: string }>>;
  }

  send(order: ToRunner): void {
    this.start();
    const stdin = this.runner.child.stdio[3] as Duplex | null;
    if (!this.runner.exited && stdin?.writable) stdin.write(JSON.stringify(order) + '\n');
  }

  /** Kills the runner and starts a fresh one; a running cell gets `reason` as its error. */
  restart(reason?: string): void {
    const old = this.runner;
    old.child.removeAllListeners('exit');
    const ended = endGroup(old, 'SIGKILL');
    old.exited = true;
    this.reportEnded(ended);
    this.failPending(reason ?? 'The runner was restarted.');
    this.startFresh();
  }

  /**
   * Ends the runner and every process its cells started: SIGTERM to the group, SIGKILL to what is
   * left once the group is empty or after a short grace (a cell may have trapped SIGTERM).
   */
  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.interruptTimer);
    const r = this.runner as Runner | undefined;
    if (!r || !(r.pid > 0)) return;
    const ended = endGroup(r, 'SIGTERM');
    if (ended.length) log.info(`shutdown: ${describeEnded(ended, 'cells')}`);
    const deadline = Date.now() + TERM_GRACE_MS;
    while (Date.now() < deadline && !(r.exited && groupMembers(r.pid).length === 0)) {
      await new Promise((resolve) => setTimeout(resolve, TERM_POLL_MS).unref());
    }
    // Without /proc (not Linux) the group cannot be listed: SIGKILL it regardless.
    if (!r.exited || groupMembers(r.pid).length > 0 || process.platform !== 'linux') endGroup(r, 'SIGKILL');
  }

  private query(order: Extract<ToRunner, { type: 'members' | 'preview' | 'comm_info' }>, fallback: unknown): Promise<unknown> {
    const id = this.nextQuery++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.answers.delete(id);
        resolve(fallback);
      }, QUERY_TIMEOUT_MS);
      this.answers.set(id, (v) => {
        clearTimeout(timer);
        resolve(v);
      });
      this.send({ ...order, id });
    });
  }

  private startFresh(): void {
    this.runner = this.spawnRunner();
    const r = this.runner;
    void r.ready.then(() => {
      if (!r.exited) this.sink.runnerRestarted({ cdp: r.child.stdio[4] as Duplex, pid: r.pid });
    });
  }

  /** Names the cells' processes a restart ended: in the running cell, else in the next one. */
  private reportEnded(ended: GroupMember[]): void {
    if (!ended.length) return;
    const note = `[runner restarted] ${describeEnded(ended)}\n`;
    log.info(note.trimEnd());
    if (this.pending) this.sink.stream(this.pending.id, 'stderr', note);
    else this.heldNote += note;
  }

  private failPending(message: string): void {
    clearTimeout(this.interruptTimer);
    this.interruptTimer = undefined;
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    p.resolve({ type: 'done', id: p.id, status: 'error', ename: 'RunnerRestarted', evalue: message, traceback: [message] });
  }

  private spawnRunner(): Runner {
    const main = path.join(__dirname, 'runner', 'main.js');
    const child = spawn(process.execPath, ['--no-warnings=ExperimentalWarning', main], {
      cwd: this.cwd,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
      // Own process group: a SIGINT sent to the kernel's group reaches the runner only through us.
      detached: true,
      env: { ...process.env, TSKERNEL_RUNNER: '1' },
    });
    let markReady!: () => void;
    const runner: Runner = { child, pid: child.pid ?? 0, ready: new Promise((r) => (markReady = r)), stderrTail: [], exited: false };
    const control = child.stdio[3] as Duplex;
    const lines = new LineReader((line) => {
      let msg: FromRunner;
      try {
        msg = JSON.parse(line) as FromRunner;
      } catch {
        log.warn('unparseable line from runner');
        return;
      }
      if (msg.type === 'ready') markReady();
      else this.onRunnerMessage(msg);
    });
    control.setEncoding('utf8');
    control.on('data', (chunk: string) => lines.push(chunk));
    control.on('error', () => undefined);
    (child.stdio[4] as Duplex).on('error', () => undefined);
    pipeAt(child, 5).on('error', () => undefined);
    // Raw fd 1/2 output (native code, child processes with inherited stdio) goes to the current cell.
    for (const name of ['stdout', 'stderr'] as const) {
      child[name]?.setEncoding('utf8');
      child[name]?.on('data', (raw: string) => {
        // Node prints this when a process with an inspector session (our agent) exits.
        const text = name === 'stderr' ? raw.replace(/^Waiting for the debugger to disconnect\.\.\.\n?/m, '') : raw;
        if (!text) return;
        if (name === 'stderr') runner.stderrTail = [...runner.stderrTail, ...text.split('\n')].slice(-20);
        this.sink.stream(this.pending?.id ?? 0, name, text);
      });
    }
    child.on('exit', (code, signal) => {
      runner.exited = true;
      if (this.disposed || this.runner !== runner) return;
      const why = describeExit(code, signal, runner.stderrTail);
      log.warn(`runner exited: ${why}`);
      // Its group outlives it (cells' children keep it): they go with the runner they belong to.
      this.reportEnded(endGroup(runner, 'SIGKILL'));
      if (this.pending) this.failPending(`${why}\nA fresh runner was started: variables and imports from earlier cells are gone.`);
      this.startFresh();
    });
    child.on('error', (e) => log.error('runner spawn failed', e));
    return runner;
  }

  private onRunnerMessage(msg: FromRunner): void {
    switch (msg.type) {
      case 'stream':
        this.sink.stream(msg.cell, msg.name, msg.text);
        break;
      case 'display':
        this.sink.display(msg.cell, msg.bundle, msg.displayId, msg.update);
        break;
      case 'clear':
        this.sink.clear(msg.cell, msg.wait);
        break;
      case 'done':
        if (this.pending?.id === msg.id) {
          clearTimeout(this.interruptTimer);
          this.interruptTimer = undefined;
          const p = this.pending;
          this.pending = undefined;
          p.resolve(msg);
        }
        break;
      case 'async_error':
        this.sink.asyncError(msg.cell, msg);
        break;
      case 'answer':
        this.answers.get(msg.id)?.(msg.value);
        this.answers.delete(msg.id);
        break;
      case 'input_request':
        void this.sink.inputRequest(msg.cell, msg.prompt, msg.password).then(
          (value) => this.replyInput({ value }),
          (e: Error) => this.replyInput({ error: e.message }),
        );
        break;
      case 'comm_open':
      case 'comm_msg':
      case 'comm_close':
        this.sink.comm(msg.cell, msg);
        break;
    }
  }

  private replyInput(reply: { value?: string; error?: string }): void {
    pipeAt(this.runner.child, 5).write(JSON.stringify(reply) + '\n');
  }
}

/**
 * Signals the runner's process group (the runner leads it: spawned detached) and returns the
 * other members it had — processes started by cells. Falls back to the runner alone when the
 * group is already gone.
 */
function endGroup(r: Runner, signal: NodeJS.Signals): GroupMember[] {
  const others = r.pid > 0 ? groupMembers(r.pid).filter((m) => m.pid !== r.pid) : [];
  if (!signalGroup(r.pid, signal) && !r.exited) r.child.kill(signal);
  return others;
}

/** The child's extra stdio pipes (fd 3..5); Node types only declare a fixed-length tuple. */
function pipeAt(child: ChildProcess, fd: number): Duplex {
  return (child.stdio as unknown as Duplex[])[fd];
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, stderrTail: string[]): string {
  const tail = stderrTail.join('\n');
  if (/heap out of memory|Allocation failed/i.test(tail)) return 'The runner ran out of memory (JavaScript heap out of memory) and was terminated.';
  if (signal) return `The runner process was killed by ${signal}.`;
  return `The runner process exited with code ${code} (process.exit() or a fatal error).`;
}
