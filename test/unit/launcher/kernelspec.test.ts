// `tskernel install --remote …`: kernel.json shaped like Gateway Provisioners' own kernelspecs
// (kernel-specs/ssh_python and container_python after jupyter-*-spec install's substitutions).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installRemote, parseRemoteInstallArgs, remoteKernelJson } from '../../../kernel/src/launcher/kernelspec';
import { KERNEL_NODE_FLAGS } from '../../../kernel/src/common/kernelEnv';

const PLACEHOLDERS = ['--kernel-id', '{kernel_id}', '--port-range', '{port_range}', '--response-address', '{response_address}', '--public-key', '{public_key}'];

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tskernel-remote-spec-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const readSpec = (name: string): Record<string, any> => JSON.parse(fs.readFileSync(path.join(tmp, 'share', 'jupyter', 'kernels', name, 'kernel.json'), 'utf8'));

test('distributed: the provisioner by name, its config, argv running `tskernel launch` with the placeholders', () => {
  const lines = installRemote(
    { kind: 'prefix', dir: tmp },
    parseRemoteInstallArgs(['--remote', 'distributed', '--remote-hosts', 'node1, node2', '--port-range', '40000..41000', '--launch-timeout', '45', '--orphan-timeout', '600']),
  );
  expect(lines[0]).toMatch(/installed kernelspec ssh_typescript \(distributed-provisioner\)/);
  const spec = readSpec('ssh_typescript');
  expect(spec.metadata.kernel_provisioner).toEqual({ provisioner_name: 'distributed-provisioner', config: { remote_hosts: ['node1', 'node2'], port_range: '40000..41000', launch_timeout: 45 } });
  expect(spec.metadata.debugger).toBe(true);
  expect(spec.argv[0]).toBe(process.execPath);
  expect(spec.argv.slice(1, 1 + KERNEL_NODE_FLAGS.length)).toEqual(KERNEL_NODE_FLAGS);
  expect(spec.argv[1 + KERNEL_NODE_FLAGS.length]).toMatch(/[\\/]cli[\\/]main\.js$/);
  expect(spec.argv.slice(2 + KERNEL_NODE_FLAGS.length)).toEqual(['launch', ...PLACEHOLDERS, '--language', 'typescript']);
  expect(spec).toMatchObject({
    language: 'typescript',
    interrupt_mode: 'signal',
    env: { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '262144', TSKERNEL_ORPHAN_TIMEOUT: '600' },
    display_name: 'SSH TypeScript (tskernel)',
  });
});

test('distributed with --ip, --launch-command, a JavaScript kernel under its own name', () => {
  installRemote(
    { kind: 'prefix', dir: tmp },
    parseRemoteInstallArgs([
      '--remote',
      'distributed',
      '--language',
      'javascript',
      '--kernel-name',
      'js_remote',
      '--display-name',
      'JS on the cluster',
      '--ip',
      '10.0.0.7',
      '--launch-command',
      '/opt/tskernel/bin/tskernel',
    ]),
  );
  const spec = readSpec('js_remote');
  expect(spec.argv).toEqual(['/opt/tskernel/bin/tskernel', 'launch', ...PLACEHOLDERS, '--language', 'javascript', '--ip', '10.0.0.7']);
  expect(spec.display_name).toBe('JS on the cluster');
  expect(spec.metadata.kernel_provisioner.config).toEqual({});
  expect(spec.env).toEqual({ MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '262144' });
});

test("kubernetes: image in the config, argv runs the gateway's launch_kubernetes.py copied into the spec", () => {
  const scripts = path.join(tmp, 'gp-scripts');
  fs.mkdirSync(path.join(scripts, '__pycache__'), { recursive: true });
  fs.writeFileSync(path.join(scripts, 'launch_kubernetes.py'), '# the gateway side\n');
  fs.writeFileSync(path.join(scripts, 'kernel-pod.yaml.j2'), 'kind: Pod\n');
  installRemote({ kind: 'prefix', dir: tmp }, parseRemoteInstallArgs(['--remote', 'kubernetes', '--image-name', 'example/tskernel:1', '--gateway-scripts', scripts]));
  const dir = path.join(tmp, 'share', 'jupyter', 'kernels', 'k8s_typescript');
  const spec = readSpec('k8s_typescript');
  expect(spec.metadata.kernel_provisioner).toEqual({ provisioner_name: 'kubernetes-provisioner', config: { image_name: 'example/tskernel:1' } });
  expect(spec.argv).toEqual(['python', path.join(dir, 'scripts', 'launch_kubernetes.py'), ...PLACEHOLDERS]);
  expect(fs.readdirSync(path.join(dir, 'scripts')).sort()).toEqual(['kernel-pod.yaml.j2', 'launch_kubernetes.py']);
});

test("refusals: kubernetes without an image or without the gateway scripts, bad values, another kernel's spec", () => {
  expect(() => remoteKernelJson({ remote: 'kubernetes', language: 'typescript' }, tmp)).toThrow(/--image-name/);
  expect(() => installRemote({ kind: 'prefix', dir: tmp }, { remote: 'kubernetes', language: 'typescript', imageName: 'x', gatewayScripts: tmp })).toThrow(/launch_kubernetes\.py not found/);
  expect(() => parseRemoteInstallArgs(['--remote', 'yarn'])).toThrow(/distributed or kubernetes/);
  expect(() => parseRemoteInstallArgs(['--remote', 'distributed', '--language', 'python'])).toThrow(/typescript or javascript/);
  expect(() => installRemote({ kind: 'prefix', dir: tmp }, parseRemoteInstallArgs(['--remote', 'distributed', '--port-range', '1..5']))).toThrow(/Range size/);
  const foreign = path.join(tmp, 'share', 'jupyter', 'kernels', 'ssh_typescript');
  fs.mkdirSync(foreign, { recursive: true });
  fs.writeFileSync(path.join(foreign, 'kernel.json'), JSON.stringify({ argv: ['python', 'x.py'], display_name: 'Someone else' }));
  expect(() => installRemote({ kind: 'prefix', dir: tmp }, { remote: 'distributed', language: 'typescript' })).toThrow(/belongs to another kernel/);
  expect(readSpec('ssh_typescript').display_name).toBe('Someone else');
  installRemote({ kind: 'prefix', dir: tmp }, { remote: 'distributed', language: 'typescript', force: true });
  expect(readSpec('ssh_typescript').metadata.tskernel).toEqual({ kernelspec: 1, remote: 'distributed' });
});
