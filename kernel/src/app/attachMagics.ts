// Magics for attaching the notebook's debugger to running Node processes from any Jupyter
// client (no extension needed): %listen, %attach, %targets, %detach. Each one is a custom DAP
// request to the debugger (the same ones the JupyterLab attach panel sends), so both paths
// share one implementation.

import type { Magics } from '../interpreter/magics';
import { MagicError } from '../interpreter/magics';
import type { IDebugger } from '../debugger/api';
import type { DapArgs, DapBody } from '../debugger/protocol';
import type { AttachedTargetInfo, AttachTargetArguments, ListenArguments, ListenBody } from '../attach/requests';

type AttachCommand = 'listen' | 'listTargets' | 'attachTarget' | 'detachTarget';

/** One of the attach requests, typed by command as the panel sends it; its body, or the failure. */
async function ask<K extends AttachCommand>(dbg: IDebugger | undefined, command: K, args: DapArgs<K>): Promise<DapBody<K>> {
  if (!dbg) throw new MagicError('the debugger is not available in this kernel');
  const r = await dbg.handleRequest({ seq: 0, type: 'request', command, arguments: args });
  if (!r.success) throw new MagicError(r.message ?? `${command} failed`);
  // The debugger answers `command` with DapBody<command> (its handler table is typed by the same map).
  return r.body as DapBody<K>;
}

function hostPort(text: string): { host?: string; port: number } | undefined {
  const m = /^(?:\[?([^\]\s]+?)\]?:)?(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  return { host: m[1], port: Number(m[2]) };
}

/** Some warnings (the non-loopback ones) already start with "Warning:", as the panel shows them. */
function warningLine(w: unknown): string {
  const text = String(w);
  return text.startsWith('Warning:') ? text : `Warning: ${text}`;
}

function describe(t: AttachedTargetInfo): string {
  return `thread ${t.threadId}: ${t.name} (via ${t.via})`;
}

/**
 * The printed commands above name this kernel's own install: same host only. Elsewhere (another
 * host, a container) the target needs the agent package or the single file, with the same token.
 */
function otherHostLines(b: ListenBody): string[] {
  const env = `TSKERNEL_ATTACH_TOKEN=${String(b.token)}`;
  const lines = [
    'Without this kernel on the target (another host, a container): install the agent package (no dependencies)',
    '',
    '  npm install @tskernel/agent',
    `  ${env} node --import @tskernel/agent app.js`,
    '',
    'or, where nothing can be installed, copy the agent as one file next to the app (`tskernel agent-file > tskernel-agent.cjs` writes it):',
    '',
    `  ${env} node --require ./tskernel-agent.cjs app.js`,
    '',
  ];
  if (/^(127\.|::1$|localhost$)/.test(String(b.host))) lines.push('(This listener is on loopback: for another host, use %listen 0.0.0.0:PORT --allow-remote.)', '');
  return lines;
}

export function registerAttachMagics(magics: Magics, dbg: () => IDebugger | undefined): void {
  magics.register('listen', '[host:port] [--allow-remote] [--advertise HOST] [--stop]: accept agents dialing back; prints the command to run on the target', async (args, ctx) => {
    const words = args.split(/\s+/).filter(Boolean);
    const a: ListenArguments = {};
    if (words.includes('--stop')) a.stop = true;
    if (words.includes('--allow-remote')) a.allowNonLoopback = true;
    // The address agents dial (written into the token): on a host with several networks, the
    // one the target can reach (a wildcard listener would otherwise name the first one).
    const adv = words.indexOf('--advertise');
    if (adv >= 0) {
      const host = words[adv + 1];
      if (!host || host.startsWith('--')) throw new MagicError('%listen --advertise takes the host or address the target dials');
      a.advertiseHost = host;
      words.splice(adv, 2);
    }
    const addr = words.find((w) => !w.startsWith('--'));
    if (addr) {
      const hp = hostPort(addr);
      if (!hp) throw new MagicError(`%listen takes host:port or port (got "${addr}")`);
      if (hp.host) a.host = hp.host;
      a.port = hp.port;
    }
    const b = await ask(dbg(), 'listen', a);
    if (!b.listening) {
      ctx.print('The attach listener is closed; its tokens are revoked.\n');
      return;
    }
    const cmds: Partial<NonNullable<ListenBody['commands']>> = b.commands ?? {};
    const lines = [
      `Listening for agents on ${String(b.host)}:${String(b.port)} (TLS 1.3, certificate ${String(b.fingerprint).slice(0, 16)}…).`,
      'Start the Node process to debug with:',
      '',
      `  ${cmds.import ?? `TSKERNEL_ATTACH_TOKEN=${String(b.token)} node --import tskernel/agent app.js`}`,
      '',
    ];
    if (cmds.require) lines.push('or, with CommonJS preloading:', '', `  ${cmds.require}`, '');
    if (cmds.api) lines.push('or from inside the process:', '', `  ${cmds.api}`, '');
    lines.push(...otherHostLines(b));
    lines.push(`The token is single-use and expires at ${String(b.expiresAt)}. Then run %attach to attach the waiting agent.`);
    if (b.warning) lines.push('', warningLine(b.warning));
    ctx.print(lines.join('\n') + '\n');
  });

  magics.register('attach', 'PORT | HOST:PORT [--allow-remote] | --pid PID | --agent ID: attach the debugger to a running Node process', async (args, ctx) => {
    const words = args.split(/\s+/).filter(Boolean);
    const flag = (name: string): string | undefined => {
      const i = words.indexOf(name);
      return i >= 0 ? words[i + 1] : undefined;
    };
    let request: AttachTargetArguments;
    if (flag('--pid') !== undefined) {
      const pid = Number(flag('--pid'));
      if (!Number.isInteger(pid) || pid <= 0) throw new MagicError('%attach --pid takes a process id');
      request = { pid };
    } else if (flag('--agent') !== undefined) {
      request = { agentId: String(flag('--agent')) };
    } else {
      const addr = words.find((w) => !w.startsWith('--'));
      if (!addr) {
        // No target named: attach every agent that is waiting in the listener.
        const list = await ask(dbg(), 'listTargets', { scanProcesses: false, ports: [] });
        const agents = list.agents ?? [];
        if (!agents.length) throw new MagicError('nothing to attach: give a port, host:port, --pid PID, or start an agent after %listen');
        for (const agent of agents) {
          const b = await ask(dbg(), 'attachTarget', { agentId: agent.id });
          ctx.print(`Attached ${describe(b.target)}\n`);
        }
        return;
      }
      const hp = hostPort(addr);
      if (!hp) throw new MagicError(`%attach takes PORT, HOST:PORT, --pid PID or --agent ID (got "${addr}")`);
      request = { port: hp.port, ...(hp.host ? { host: hp.host } : {}), ...(words.includes('--allow-remote') ? { allowNonLoopback: true } : {}) };
    }
    const b = await ask(dbg(), 'attachTarget', request);
    if (b.warning) ctx.print(`${warningLine(b.warning)}\n`);
    ctx.print(`Attached ${describe(b.target)}. Set breakpoints in its files from the debugger panel (Kernel Sources).\n`);
  });

  magics.register('targets', 'list attached processes, waiting agents and local inspectors', async (_args, ctx) => {
    const b = await ask(dbg(), 'listTargets', {});
    const out: string[] = ['Attached:'];
    const attached = b.attached ?? [];
    out.push(...(attached.length ? attached.map((t) => `  ${describe(t)}`) : ['  (none)']));
    const agents = b.agents ?? [];
    if (agents.length) out.push('Waiting agents (%attach --agent ID):', ...agents.map((a) => `  ${a.id}  ${a.title}`));
    const inspectors = b.inspectors ?? [];
    if (inspectors.length) out.push('Local inspectors (%attach PORT):', ...inspectors.map((i) => `  ${i.host}:${i.port}`));
    const processes = b.processes ?? [];
    // Only the user's own processes, secrets already masked by the kernel's discovery.
    if (processes.length) out.push('Node processes (%attach --pid PID):', ...processes.map((p) => `  ${p.label || `pid ${p.pid}`}  ${p.command}`));
    ctx.print(out.join('\n') + '\n');
  });

  magics.register('detach', '[THREAD_ID | all]: detach from attached processes (they keep running)', async (args, ctx) => {
    const what = args.trim() || 'all';
    const list = await ask(dbg(), 'listTargets', { scanProcesses: false, ports: [] });
    const attached = list.attached ?? [];
    const ids = what === 'all' ? attached.map((t) => t.threadId) : [Number(what)];
    if (ids.some((i) => !Number.isInteger(i))) throw new MagicError('%detach takes a thread id or "all"');
    if (!ids.length) {
      ctx.print('Nothing attached.\n');
      return;
    }
    for (const threadId of ids) {
      await ask(dbg(), 'detachTarget', { threadId });
      ctx.print(`Detached thread ${threadId}; the process keeps running.\n`);
    }
  });
}
