// Tagged logger: every line goes to stderr (never stdout), prefixed with a tag naming the layer
// (wire, core, runtime, dap, cdp, lang). TSKERNEL_LOG=debug turns on debug lines.

export type LogTag = 'wire' | 'core' | 'runtime' | 'dap' | 'cdp' | 'lang' | 'cli' | 'targets';

export interface Logger {
  debug(msg: string, ...rest: unknown[]): void;
  info(msg: string, ...rest: unknown[]): void;
  warn(msg: string, ...rest: unknown[]): void;
  error(msg: string, ...rest: unknown[]): void;
}

const debugOn = /debug/i.test(process.env.TSKERNEL_LOG ?? '');

export function logger(tag: LogTag): Logger {
  const write = (level: string, msg: string, rest: unknown[]): void => {
    const extra = rest.length ? ' ' + rest.map((r) => (r instanceof Error ? (r.stack ?? r.message) : typeof r === 'string' ? r : JSON.stringify(r))).join(' ') : '';
    process.stderr.write(`[tskernel ${level} ${tag}] ${msg}${extra}\n`);
  };
  return {
    debug: (m, ...r) => {
      if (debugOn) write('debug', m, r);
    },
    info: (m, ...r) => write('info', m, r),
    warn: (m, ...r) => write('warn', m, r),
    error: (m, ...r) => write('error', m, r),
  };
}
