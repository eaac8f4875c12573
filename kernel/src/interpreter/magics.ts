// Line magics: lines of a cell that start with `%` are kernel commands, not code. They are taken
// out of the cell (replaced by blank lines so line numbers stay the cell's own) and run by the
// kernel before the code. Other parts of the kernel register magics by name.

export interface MagicContext {
  /** Text output for the cell (stdout). */
  print(text: string): void;
}

export type MagicHandler = (args: string, ctx: MagicContext) => Promise<void> | void;

export interface MagicLine {
  name: string;
  args: string;
  line: number;
}

export class MagicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MagicError';
  }
}

export class Magics {
  private readonly handlers = new Map<string, { run: MagicHandler; help: string }>();

  constructor() {
    this.register('lsmagic', 'list the available magics', (_a, ctx) => {
      ctx.print([...this.handlers.entries()].map(([n, h]) => `%${n.padEnd(12)} ${h.help}`).join('\n') + '\n');
    });
  }

  register(name: string, help: string, run: MagicHandler): void {
    this.handlers.set(name, { run, help });
  }

  /** Splits magic lines from code; the code keeps a blank line where each magic was. */
  split(code: string): { code: string; magics: MagicLine[] } {
    const magics: MagicLine[] = [];
    const lines = code.split('\n');
    let inCode = false;
    for (let i = 0; i < lines.length; i++) {
      const m = /^\s*%([A-Za-z_][\w-]*)(.*)$/.exec(lines[i]);
      // Only leading magic lines (before any code) count: `%` can also start a JS continuation line.
      if (m && !inCode) {
        magics.push({ name: m[1], args: m[2].trim(), line: i + 1 });
        lines[i] = '';
      } else if (lines[i].trim() && !/^\s*\/\//.test(lines[i])) {
        inCode = true;
      }
    }
    return { code: magics.length ? lines.join('\n') : code, magics };
  }

  async run(m: MagicLine, ctx: MagicContext): Promise<void> {
    const h = this.handlers.get(m.name);
    if (!h) throw new MagicError(`Unknown magic %${m.name} (line ${m.line}). Try %lsmagic.`);
    await h.run(m.args, ctx);
  }
}
