// The section's settings as the model uses them. Their defaults live only in schema/plugin.json
// (the settings registry fills them into `composite`); this file only reads and sanitises.

export interface ISettings {
  /** Inspector ports discovery probes; undefined: the kernel's own list. */
  ports?: number[];
  /** Non-loopback hosts "Attach" may connect to by host:port. */
  allowedHosts: string[];
  /** Where "Listen for agents" binds the kernel's listener. */
  listenAddress: string;
  /** The address agents dial, written into the one-time command (empty: the kernel chooses). */
  advertiseAddress: string;
  /** Show the section for kernels that are not tskernel. */
  showForOtherKernels: boolean;
}

/**
 * What the model does before the settings registry answered (or when there is none): the
 * restrictive choice for each setting (loopback only, no other hosts, the kernel's own ports,
 * hidden for other kernels). Not defaults: the defaults are the schema's.
 */
export const UNSET: ISettings = { allowedHosts: [], listenAddress: '127.0.0.1', advertiseAddress: '', showForOtherKernels: false };

/** Reads a settings object's composite values (schema defaults merged with the user's). */
export function readSettings(composite: Readonly<Record<string, unknown>>): ISettings {
  const { ports, allowedHosts, listenAddress, advertiseAddress, showForOtherKernels } = composite;
  return {
    ports: Array.isArray(ports) ? ports.filter((p): p is number => Number.isInteger(p) && p >= 1 && p <= 65535).slice(0, 64) : undefined,
    allowedHosts: Array.isArray(allowedHosts) ? allowedHosts.filter((h): h is string => typeof h === 'string' && h.trim() !== '').map((h) => h.trim()) : [],
    listenAddress: typeof listenAddress === 'string' && listenAddress.trim() ? listenAddress.trim() : UNSET.listenAddress,
    advertiseAddress: typeof advertiseAddress === 'string' ? advertiseAddress.trim() : UNSET.advertiseAddress,
    showForOtherKernels: showForOtherKernels === true,
  };
}
