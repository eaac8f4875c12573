// The pack test's notebook side: kernel_bridge.py (jupyter_client, the installed kernelspec)
// driven over JSON lines. Every call has a bounded timeout; a bridge error fails the call.
import { spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';

export interface ExecResult {
  status: string;
  stdout: string;
  stderr: string;
  error: { ename: string; evalue: string; traceback: string[] } | null;
  data: Array<Record<string, unknown>>;
}

interface Reply {
  id: number;
  ok: boolean;
  result?: any;
  error?: string;
  spec_argv?: string[];
}

/** JupyterLab's initialize arguments (written out: the pack test imports nothing from the repo's
 * test helpers, which load the kernel's sources). */
export const JLAB_INITIALIZE = {
  clientID: 'jupyterlab',
  clientName: 'JupyterLab',
  adapterID: 'typescript',
  pathFormat: 'path',
  linesStartAt1: true,
  columnsStartAt1: true,
  supportsVariableType: true,
  supportsVariablePaging: true,
  supportsRunInTerminalRequest: true,
  locale: 'en',
};

export class Bridge {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: Reply) => void>();
  private seq = 1;
  stderr = '';
  specArgv: string[] = [];

  private constructor(private readonly proc: ChildProcess) {}

  /** Starts kernel `name` from the kernelspecs under `jupyterPath`, in `cwd`. */
  static async start(name: string, jupyterPath: string, cwd: string, env: Record<string, string> = {}): Promise<Bridge> {
    const proc = spawn('/usr/bin/python3', [`${__dirname}/kernel_bridge.py`, name, cwd], {
      cwd,
      env: { ...process.env, JUPYTER_PATH: jupyterPath, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const b = new Bridge(proc);
    proc.stderr.on('data', (d: Buffer) => (b.stderr += d.toString()));
    const ready = new Promise<Reply>((resolve) => b.waiting.set(0, resolve));
    readline.createInterface({ input: proc.stdout }).on('line', (line) => {
      const r = JSON.parse(line) as Reply;
      b.waiting.get(r.id)?.(r);
      b.waiting.delete(r.id);
    });
    const exited = new Promise<never>((_, reject) => proc.once('exit', (code) => reject(new Error(`kernel bridge exited (${code}): ${b.stderr}`))));
    const r = await Promise.race([ready, exited, timeout<Reply>(90000, 'kernel start')]);
    b.specArgv = r.spec_argv ?? [];
    return b;
  }

  private call(req: Record<string, unknown>, ms: number): Promise<any> {
    const id = this.nextId++;
    const reply = new Promise<Reply>((resolve) => this.waiting.set(id, resolve));
    this.proc.stdin!.write(JSON.stringify({ id, ...req }) + '\n');
    return Promise.race([reply, timeout<Reply>(ms + 5000, `bridge ${String(req.op)}`)]).then((r) => {
      if (!r.ok) throw new Error(`${String(req.op)} failed: ${r.error}\nkernel stderr:\n${this.stderr}`);
      return r.result;
    });
  }

  execute(code: string, timeoutS = 60): Promise<ExecResult> {
    return this.call({ op: 'execute', code, timeout: timeoutS }, timeoutS * 1000);
  }

  /** A DAP request; fails unless the response has success: true. Returns the body. */
  async dap(command: string, args: object = {}): Promise<any> {
    const r = await this.call({ op: 'debug', command, arguments: args, seq: this.seq++, timeout: 30 }, 30000);
    if (!r.success) throw new Error(`${command} failed: ${r.message}`);
    return r.body;
  }

  async mark(): Promise<number> {
    return (await this.call({ op: 'mark' }, 5000)).cursor;
  }

  waitEvent(event: string, after: number, match: Record<string, unknown> = {}, timeoutS = 20): Promise<{ index: number; body: any }> {
    return this.call({ op: 'wait_event', event, after, match, timeout: timeoutS }, timeoutS * 1000);
  }

  async shutdown(): Promise<void> {
    const gone = new Promise<void>((r) => (this.proc.exitCode !== null ? r() : this.proc.once('exit', () => r())));
    this.proc.stdin!.write(JSON.stringify({ id: this.nextId++, op: 'shutdown' }) + '\n');
    await Promise.race([gone, timeout<void>(20000, 'bridge shutdown')]).catch(() => this.proc.kill('SIGKILL'));
  }
}

function timeout<T>(ms: number, what: string): Promise<T> {
  return new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms).unref());
}
