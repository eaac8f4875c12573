// What the user typed or picked -> the attachTarget arguments, or the message saying why not.
// Pure: the settings decide which non-loopback hosts are allowed.

import { isLoopback, parseHostPort, type AttachTargetArguments } from './protocol';
import type { ISettings } from './settings';
import type { Trans } from './tokens';

/** Arguments and the label of the attempt ("Attaching to …", used in "… failed: reason"). */
export type AttachPlan = { args: AttachTargetArguments; what: string } | { error: string };

/** By port; a host that is not this machine only when the settings allow it. */
export function portPlan(trans: Trans, settings: Pick<ISettings, 'allowedHosts'>, port: number, host?: string): AttachPlan {
  let args: AttachTargetArguments = { port };
  if (host && !isLoopback(host)) {
    if (!settings.allowedHosts.includes(host)) {
      return { error: trans.__('%1 is not on this machine. Add it to "Allowed non-loopback hosts" in the settings (Node processes) to attach to it.', host) };
    }
    args = { port, host, allowNonLoopback: true };
  } else if (host) {
    args = { port, host };
  }
  return { args, what: trans.__('Attaching to %1:%2', host ?? '127.0.0.1', port) };
}

/** "9229", "host:9229", "[::1]:9229" as typed in the port field or a prompt. */
export function addressPlan(trans: Trans, settings: Pick<ISettings, 'allowedHosts'>, text: string): AttachPlan {
  const hp = parseHostPort(text);
  if (!hp) return { error: trans.__('Enter an inspector port (e.g. 9229) or host:port.') };
  return portPlan(trans, settings, hp.port, hp.host);
}

/** A pid as typed (text) or from discovery (number). */
export function pidPlan(trans: Trans, pid: string | number): AttachPlan {
  const n = typeof pid === 'number' ? pid : Number(pid.trim());
  if (!Number.isInteger(n) || n < 1) return { error: trans.__('Enter a process id.') };
  return { args: { pid: n }, what: trans.__('Attaching to pid %1', n) };
}
