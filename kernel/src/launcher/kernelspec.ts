// `tskernel install --remote distributed|kubernetes`: kernelspecs for Gateway Provisioners /
// Enterprise Gateway, shaped like the ones their `jupyter-ssh-spec install` and
// `jupyter-k8s-spec install` write for ipykernel (kernel-specs/ssh_python, container_python):
// metadata.kernel_provisioner names the provisioner (plus its config), argv carries the
// `{kernel_id}`, `{port_range}`, `{response_address}`, `{public_key}` placeholders the provisioner
// fills in. For `distributed` argv runs `tskernel launch` on the remote host (over SSH): tskernel
// must be installed at the same path there (override with --launch-command). For `kubernetes` argv
// runs the gateway's own launch_kubernetes.py (it creates the kernel pod; copied from the
// installed gateway_provisioners, like jupyter-k8s-spec does) and the image's command is
// `tskernel launch`, which reads KERNEL_ID, RESPONSE_ADDRESS, PUBLIC_KEY, PORT_RANGE from the pod.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ForeignKernelspecError, kernelsDir, specOwner, type InstallTarget } from '../cli/install';
import { parsePortRange } from './options';
import { KERNEL_ENV, KERNEL_NODE_FLAGS } from '../common/kernelEnv';

export type RemoteKind = 'distributed' | 'kubernetes';

export interface RemoteSpecOptions {
  remote: RemoteKind;
  language: 'typescript' | 'javascript';
  kernelName?: string;
  displayName?: string;
  /** distributed: hosts to start kernels on (config remote_hosts; the provisioner's default is localhost). */
  remoteHosts?: string[];
  /** kubernetes: the kernel image (its command: `tskernel launch`). */
  imageName?: string;
  /** config port_range, `lower..upper`. */
  portRange?: string;
  /** config launch_timeout, seconds. */
  launchTimeout?: number;
  /** distributed: address the launched kernel binds (`--ip`); default 0.0.0.0 as upstream. */
  ip?: string;
  /** distributed: how to run tskernel on the remote host, instead of this node + main.js. */
  launchCommand?: string[];
  /** TSKERNEL_ORPHAN_TIMEOUT in the kernelspec's env (reaches the remote host and the pod alike). */
  orphanTimeout?: number;
  /** kubernetes: the directory holding launch_kubernetes.py and kernel-pod.yaml.j2. */
  gatewayScripts?: string;
  force?: boolean;
}

const PROVISIONERS: Record<RemoteKind, string> = { distributed: 'distributed-provisioner', kubernetes: 'kubernetes-provisioner' };
const NAME_PREFIX: Record<RemoteKind, string> = { distributed: 'ssh', kubernetes: 'k8s' };
const DISPLAY_PREFIX: Record<RemoteKind, string> = { distributed: 'SSH', kubernetes: 'Kubernetes' };
const LANGUAGE_DISPLAY = { typescript: 'TypeScript', javascript: 'JavaScript' } as const;
const LOGO = { typescript: 'ts', javascript: 'js' } as const;

const ASSETS = path.join(__dirname, '..', '..', 'kernelspec-assets');
const MAIN = path.join(__dirname, '..', 'cli', 'main.js');

/** The placeholders every upstream launcher argv carries, in their order. */
const GATEWAY_ARGS = ['--kernel-id', '{kernel_id}', '--port-range', '{port_range}', '--response-address', '{response_address}', '--public-key', '{public_key}'];

export function remoteKernelName(o: Pick<RemoteSpecOptions, 'remote' | 'language' | 'kernelName'>): string {
  return o.kernelName ?? `${NAME_PREFIX[o.remote]}_${o.language}`;
}

/** The kernel.json for these options; `specDir` is where it goes (kubernetes argv points into it). */
export function remoteKernelJson(o: RemoteSpecOptions, specDir: string): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (o.remote === 'distributed' && o.remoteHosts?.length) config.remote_hosts = o.remoteHosts;
  if (o.remote === 'kubernetes') {
    if (!o.imageName) throw new Error('--remote kubernetes needs --image-name IMAGE (an image whose command is `tskernel launch`)');
    config.image_name = o.imageName;
  }
  if (o.portRange) {
    parsePortRange(o.portRange, {}); // the same check the launcher makes, at install time
    config.port_range = o.portRange;
  }
  if (o.launchTimeout !== undefined) config.launch_timeout = o.launchTimeout;

  const argv =
    o.remote === 'distributed'
      ? [...(o.launchCommand ?? [process.execPath, ...KERNEL_NODE_FLAGS, MAIN]), 'launch', ...GATEWAY_ARGS, '--language', o.language, ...(o.ip ? ['--ip', o.ip] : [])]
      : ['python', path.join(specDir, 'scripts', 'launch_kubernetes.py'), ...GATEWAY_ARGS];
  return {
    argv,
    env: { ...KERNEL_ENV, ...(o.orphanTimeout ? { TSKERNEL_ORPHAN_TIMEOUT: String(o.orphanTimeout) } : {}) },
    display_name: o.displayName ?? `${DISPLAY_PREFIX[o.remote]} ${LANGUAGE_DISPLAY[o.language]} (tskernel)`,
    language: o.language,
    interrupt_mode: 'signal',
    metadata: {
      debugger: true,
      kernel_provisioner: { provisioner_name: PROVISIONERS[o.remote], config },
      tskernel: { kernelspec: 1, remote: o.remote },
    },
  };
}

/** Where the installed gateway_provisioners keeps its Kubernetes launcher scripts, if anywhere. */
function findGatewayScripts(): string | undefined {
  for (const py of ['python3', '/usr/bin/python3']) {
    try {
      const pkg = execFileSync(py, ['-c', 'import os, gateway_provisioners as g; print(os.path.dirname(g.__file__))'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      const dir = path.join(pkg, 'kernel-launchers', 'kubernetes', 'scripts');
      if (fs.existsSync(path.join(dir, 'launch_kubernetes.py'))) return dir;
    } catch {
      /* try the next one */
    }
  }
  return undefined;
}

export function installRemote(target: InstallTarget, o: RemoteSpecOptions): string[] {
  const name = remoteKernelName(o);
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) throw new Error(`--kernel-name "${name}": only letters, digits, ".", "_" and "-"`);
  const dir = path.join(kernelsDir(target), name);
  const owner = specOwner(dir);
  if (owner.kind === 'foreign' && !o.force) {
    throw new ForeignKernelspecError(
      `the kernelspec "${name}" in ${dir} belongs to another kernel: ${owner.description}.\nNothing was installed; use --force to replace it, or another --kernel-name.`,
    );
  }
  let scripts: string | undefined;
  if (o.remote === 'kubernetes') {
    scripts = o.gatewayScripts ?? findGatewayScripts();
    if (!scripts || !fs.existsSync(path.join(scripts, 'launch_kubernetes.py'))) {
      throw new Error(
        '--remote kubernetes: launch_kubernetes.py not found. It is part of gateway_provisioners (it runs in the gateway and creates the kernel pod): install gateway_provisioners where you run this, or pass --gateway-scripts DIR',
      );
    }
  }
  const spec = remoteKernelJson(o, dir); // validates before anything is written
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(spec, null, 2) + '\n');
  for (const [from, to] of [
    [`${LOGO[o.language]}-32x32.png`, 'logo-32x32.png'],
    [`${LOGO[o.language]}-64x64.png`, 'logo-64x64.png'],
    [`${LOGO[o.language]}.svg`, 'logo-svg.svg'],
  ]) {
    const src = path.join(ASSETS, from);
    if (fs.existsSync(src)) fs.copyFileSync(src, path.join(dir, to));
  }
  if (scripts) fs.cpSync(scripts, path.join(dir, 'scripts'), { recursive: true, filter: (src) => path.basename(src) !== '__pycache__' });
  return [`installed kernelspec ${name} (${PROVISIONERS[o.remote]}) in ${dir}`];
}

/** `install --remote KIND` options from the command line (the target flags are main.ts's). */
export function parseRemoteInstallArgs(args: string[]): RemoteSpecOptions {
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const remote = value('--remote');
  if (remote !== 'distributed' && remote !== 'kubernetes') throw new Error(`--remote must be distributed or kubernetes, not "${remote}"`);
  const language = value('--language') ?? 'typescript';
  if (language !== 'typescript' && language !== 'javascript') throw new Error(`--language must be typescript or javascript, not "${language}"`);
  const timeout = value('--launch-timeout');
  if (timeout !== undefined && !(Number(timeout) > 0)) throw new Error(`--launch-timeout must be a positive number of seconds`);
  const orphan = value('--orphan-timeout');
  if (orphan !== undefined && !(Number(orphan) > 0)) throw new Error(`--orphan-timeout must be a positive number of seconds`);
  const hosts = value('--remote-hosts');
  const launchCommand = value('--launch-command');
  return {
    remote,
    language,
    kernelName: value('--kernel-name'),
    displayName: value('--display-name'),
    remoteHosts: hosts
      ?.split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    imageName: value('--image-name'),
    portRange: value('--port-range'),
    launchTimeout: timeout === undefined ? undefined : Number(timeout),
    orphanTimeout: orphan === undefined ? undefined : Number(orphan),
    ip: value('--ip'),
    launchCommand: launchCommand?.split(/\s+/).filter(Boolean),
    gatewayScripts: value('--gateway-scripts'),
    force: args.includes('--force'),
  };
}
