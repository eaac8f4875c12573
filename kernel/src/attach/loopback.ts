// Host checks shared by the attach listener and the by-port connector: loopback is the default
// everywhere; anything else needs an explicit opt-in, and then a warning the user gets to read.

import * as net from 'node:net';

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/** How a target's host is shown to the user: every loopback address is `localhost`. */
export function shownHost(host: string): string {
  return isLoopbackHost(host) ? 'localhost' : host;
}

export class NonLoopbackError extends Error {
  constructor(what: string, host: string) {
    super(`${what} on ${host} refused: it is not a loopback address. ` + 'Pass allowNonLoopback (`--allow-remote` on %listen and %attach) only if you accept that other machines can reach it.');
    this.name = 'NonLoopbackError';
  }
}

export function listenerRiskWarning(host: string, port: number): string {
  return (
    `Warning: the attach listener accepts connections from other machines on ${host}:${port}. ` +
    'It requires TLS 1.3 and a single-use secret, but anyone who obtains an unused token can attach, ' +
    'and attaching gives the notebook full code execution in the target. Prefer an SSH tunnel (ssh -R) to the loopback listener.'
  );
}

export function inspectorRiskWarning(host: string, port: number): string {
  return (
    `Warning: connecting to a Node inspector on ${host}:${port}, which is not loopback. The inspector has no ` +
    'authentication or encryption: anyone who can reach that port can run any code in that process. Prefer `ssh -L` to a loopback inspector.'
  );
}
