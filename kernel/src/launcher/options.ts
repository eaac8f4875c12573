// The command line of `tskernel launch`: the options Gateway Provisioners / Enterprise Gateway pass
// to their kernel launchers (launch_ipykernel.py's argparse options, same names and defaults) plus
// our own (--language, --ip). Each launcher option falls back to the environment variable their
// container bootstrap script (bootstrap-kernel.sh) reads, so a kernel image can run a bare
// `tskernel launch` as its command. Pure: no I/O here, so it is unit-tested as is.

export interface LaunchOptions {
  kernelId: string;
  /** `<ip>:<port>` of the gateway's response socket; undefined when it is not `ip:port` ("pull" mode upstream). */
  responseAddress: { host: string; port: number } | undefined;
  /** The raw value, for messages. */
  responseAddressText: string;
  /** The gateway's RSA public key: base64 DER (a PEM body without its header, footer, newlines). */
  publicKey: string;
  /** Inclusive port range for the kernel's and the comm port; 0..0: any free port. */
  portRange: { lower: number; upper: number };
  language: 'typescript' | 'javascript';
  /** The address the kernel's ZeroMQ sockets and the comm port bind to (upstream: always 0.0.0.0). */
  ip: string;
  /** Accepted for compatibility; ipykernel-specific, ignored (logged when set). */
  kernelClassName?: string;
  sparkInitMode: string;
  clusterType: string;
  /**
   * Seconds without any comm-port request after which the gateway is taken as gone and the kernel
   * shuts down; undefined: never. A Jupyter Server / Enterprise Gateway with autorestart polls
   * every 3 s (signum 0); a client without a restarter never polls, hence off by default.
   */
  orphanTimeout?: number;
}

export class LaunchUsageError extends Error {}

/** Options that take a value; argparse's nargs="?" lets each appear without one (then unset). */
const VALUED = {
  '--kernel-id': 'kernelId',
  '--response-address': 'responseAddress',
  '--public-key': 'publicKey',
  '--port-range': 'portRange',
  '--spark-context-initialization-mode': 'sparkInitMode',
  '--cluster-type': 'clusterType',
  '--kernel-class-name': 'kernelClassName',
  '--language': 'language',
  '--ip': 'ip',
  '--orphan-timeout': 'orphanTimeout',
} as const;
type Key = (typeof VALUED)[keyof typeof VALUED];
const isOption = (a: string): a is keyof typeof VALUED => Object.prototype.hasOwnProperty.call(VALUED, a);

/** Environment fallbacks, as bootstrap-kernel.sh reads them (EG_* are Enterprise Gateway's older names). */
const ENV: Partial<Record<Key, string[]>> = {
  kernelId: ['KERNEL_ID'],
  responseAddress: ['RESPONSE_ADDRESS', 'EG_RESPONSE_ADDRESS'],
  publicKey: ['PUBLIC_KEY', 'EG_PUBLIC_KEY'],
  portRange: ['PORT_RANGE', 'EG_PORT_RANGE'],
  sparkInitMode: ['KERNEL_SPARK_CONTEXT_INIT_MODE'],
  kernelClassName: ['KERNEL_CLASS_NAME'],
  language: ['TSKERNEL_LANGUAGE', 'KERNEL_LANGUAGE'], // gateways export the kernelspec's language as KERNEL_LANGUAGE
  ip: ['TSKERNEL_LAUNCH_IP'],
  orphanTimeout: ['TSKERNEL_ORPHAN_TIMEOUT'],
};

/**
 * launch_ipykernel.py's _validate_port_range: `lower..upper`; a non-zero range must span at least
 * MIN_PORT_RANGE_SIZE (default 1000) ports.
 */
export function parsePortRange(text: string | undefined, env: NodeJS.ProcessEnv = process.env): { lower: number; upper: number } {
  if (!text) return { lower: 0, upper: 0 };
  const m = /^(\d+)\.\.(\d+)$/.exec(text.trim());
  if (!m) throw new LaunchUsageError(`Port range validation failed for range: '${text}'.  Expected <lowerPort>..<upperPort>`);
  const lower = Number(m[1]);
  const upper = Number(m[2]);
  const minSize = Number(env.MIN_PORT_RANGE_SIZE ?? '1000');
  if (upper > 65535 || lower > upper) throw new LaunchUsageError(`Port range validation failed for range: '${text}'.`);
  if (upper - lower !== 0 && upper - lower < minSize) {
    throw new LaunchUsageError(`Port range validation failed for range: '${text}'.  Range size must be at least ${minSize} as specified by env MIN_PORT_RANGE_SIZE`);
  }
  return { lower, upper };
}

/** server_listener.py's return_connection_info: exactly two ':'-separated parts, an integer port. */
export function parseResponseAddress(text: string): { host: string; port: number } | undefined {
  const parts = text.split(':');
  if (parts.length !== 2 || !/^\d+$/.test(parts[1]) || Number(parts[1]) > 65535) return undefined;
  return { host: parts[0], port: Number(parts[1]) };
}

export function parseLaunchArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): LaunchOptions {
  const given: Partial<Record<Key, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!isOption(name)) throw new LaunchUsageError(`unrecognized argument: ${arg}`);
    const key = VALUED[name];
    if (eq > 0 && name !== arg) {
      given[key] = arg.slice(eq + 1);
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      given[key] = argv[++i];
    } else {
      delete given[key]; // `--opt` with no value: None, as with argparse nargs="?"
    }
  }
  const value = (k: Key): string | undefined => given[k] ?? ENV[k]?.map((n) => env[n]).find((v) => v !== undefined && v !== '');

  // The same three checks, in the same order and words, as launch_ipykernel.py.
  const kernelId = value('kernelId');
  if (!kernelId) throw new LaunchUsageError("Parameter '--kernel-id' must be provided!");
  const responseAddressText = value('responseAddress');
  if (!responseAddressText) throw new LaunchUsageError("Parameter '--response-address' must be provided!");
  const publicKey = value('publicKey');
  if (!publicKey) throw new LaunchUsageError("Parameter '--public-key' must be provided!");

  const language = value('language') ?? 'typescript';
  if (language !== 'typescript' && language !== 'javascript') throw new LaunchUsageError(`--language must be typescript or javascript, not "${language}"`);

  const orphan = value('orphanTimeout');
  const orphanTimeout = orphan === undefined || orphan === '0' ? undefined : Number(orphan);
  if (orphanTimeout !== undefined && !(orphanTimeout > 0)) throw new LaunchUsageError(`--orphan-timeout must be a number of seconds, not "${orphan}"`);

  return {
    kernelId,
    responseAddress: parseResponseAddress(responseAddressText),
    responseAddressText,
    publicKey,
    portRange: parsePortRange(value('portRange'), env),
    language,
    // Upstream launchers always bind 0.0.0.0: the gateway connects to the host it started the
    // kernel on, by that host's address. --ip narrows it (one interface, or loopback for tests).
    ip: value('ip') ?? '0.0.0.0',
    kernelClassName: value('kernelClassName'),
    sparkInitMode: value('sparkInitMode') ?? 'none',
    clusterType: value('clusterType') ?? 'spark',
    orphanTimeout,
  };
}
