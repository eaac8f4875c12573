// `tskernel launch` options: the names, nargs="?" behaviour, checks and messages of Gateway
// Provisioners' launch_ipykernel.py, and the environment fallbacks of their bootstrap-kernel.sh.

import { LaunchUsageError, parseLaunchArgs, parsePortRange, parseResponseAddress } from '../../../kernel/src/launcher/options';

const REQUIRED = ['--kernel-id', 'k-1', '--response-address', '10.0.0.5:8877', '--public-key', 'PUBKEY'];

test('the kernelspec argv Gateway Provisioners fills in', () => {
  const o = parseLaunchArgs([...REQUIRED, '--port-range', '0..0', '--language', 'javascript', '--kernel-class-name', 'ipykernel.ipkernel.IPythonKernel'], {});
  expect(o).toMatchObject({
    kernelId: 'k-1',
    responseAddress: { host: '10.0.0.5', port: 8877 },
    publicKey: 'PUBKEY',
    portRange: { lower: 0, upper: 0 },
    language: 'javascript',
    ip: '0.0.0.0',
    kernelClassName: 'ipykernel.ipkernel.IPythonKernel',
    sparkInitMode: 'none',
    clusterType: 'spark',
  });
});

test('--opt=value works, and an option without a value is unset (argparse nargs="?")', () => {
  const o = parseLaunchArgs(['--kernel-id=k-2', '--response-address=1.2.3.4:5', '--public-key=K', '--port-range', '--ip=127.0.0.1'], {});
  expect(o.kernelId).toBe('k-2');
  expect(o.portRange).toEqual({ lower: 0, upper: 0 });
  expect(o.ip).toBe('127.0.0.1');
  expect(() => parseLaunchArgs(['--kernel-id', '--response-address', 'a:1', '--public-key', 'K'], {})).toThrow("Parameter '--kernel-id' must be provided!");
});

test('the three required options, checked in upstream order with upstream words', () => {
  expect(() => parseLaunchArgs([], {})).toThrow("Parameter '--kernel-id' must be provided!");
  expect(() => parseLaunchArgs(['--kernel-id', 'k'], {})).toThrow("Parameter '--response-address' must be provided!");
  expect(() => parseLaunchArgs(['--kernel-id', 'k', '--response-address', 'a:1'], {})).toThrow("Parameter '--public-key' must be provided!");
  expect(() => parseLaunchArgs([...REQUIRED, '--bogus', 'x'], {})).toThrow(LaunchUsageError);
  expect(() => parseLaunchArgs([...REQUIRED, '--language', 'python'], {})).toThrow(/typescript or javascript/);
});

test('a kernel image runs a bare `tskernel launch`: the values come from the pod environment', () => {
  const env = { KERNEL_ID: 'k-env', RESPONSE_ADDRESS: '10.1.1.1:8877', PUBLIC_KEY: 'PK', PORT_RANGE: '40000..41000', KERNEL_LANGUAGE: 'javascript' };
  const o = parseLaunchArgs([], env);
  expect(o).toMatchObject({ kernelId: 'k-env', responseAddress: { host: '10.1.1.1', port: 8877 }, publicKey: 'PK', portRange: { lower: 40000, upper: 41000 }, language: 'javascript' });
  // EG_* are Enterprise Gateway's older names; the command line wins over the environment.
  expect(parseLaunchArgs(['--kernel-id', 'k-arg'], { ...env, RESPONSE_ADDRESS: '', EG_RESPONSE_ADDRESS: '10.2.2.2:1' })).toMatchObject({ kernelId: 'k-arg', responseAddressText: '10.2.2.2:1' });
});

test('port ranges as launch_ipykernel validates them', () => {
  expect(parsePortRange(undefined, {})).toEqual({ lower: 0, upper: 0 });
  expect(parsePortRange('33245..34245', {})).toEqual({ lower: 33245, upper: 34245 });
  expect(parsePortRange('5000..5000', {})).toEqual({ lower: 5000, upper: 5000 }); // size 0: no range
  expect(() => parsePortRange('33245..33300', {})).toThrow(/Range size must be at least 1000/);
  expect(parsePortRange('33245..33300', { MIN_PORT_RANGE_SIZE: '10' })).toEqual({ lower: 33245, upper: 33300 });
  expect(() => parsePortRange('33245-34245', {})).toThrow(/Port range validation failed/);
  expect(() => parsePortRange('60000..70000', {})).toThrow(/Port range validation failed/);
});

test('response addresses: exactly ip:port, anything else is upstream\'s "pull" mode', () => {
  expect(parseResponseAddress('10.0.0.5:8877')).toEqual({ host: '10.0.0.5', port: 8877 });
  expect(parseResponseAddress('10.0.0.5')).toBeUndefined();
  expect(parseResponseAddress('10.0.0.5:x')).toBeUndefined();
  expect(parseResponseAddress('::1:8877')).toBeUndefined();
  const o = parseLaunchArgs(['--kernel-id', 'k', '--response-address', 'pull', '--public-key', 'K'], {});
  expect(o.responseAddress).toBeUndefined();
  expect(o.responseAddressText).toBe('pull');
});

test('--orphan-timeout: off unless given (or TSKERNEL_ORPHAN_TIMEOUT, as a kernelspec env sets it)', () => {
  expect(parseLaunchArgs(REQUIRED, {}).orphanTimeout).toBeUndefined();
  expect(parseLaunchArgs([...REQUIRED, '--orphan-timeout', '300'], {}).orphanTimeout).toBe(300);
  expect(parseLaunchArgs(REQUIRED, { TSKERNEL_ORPHAN_TIMEOUT: '90' }).orphanTimeout).toBe(90);
  expect(parseLaunchArgs(REQUIRED, { TSKERNEL_ORPHAN_TIMEOUT: '0' }).orphanTimeout).toBeUndefined();
  expect(() => parseLaunchArgs([...REQUIRED, '--orphan-timeout', 'soon'], {})).toThrow(/--orphan-timeout/);
});
