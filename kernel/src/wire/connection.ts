// Reads and validates a Jupyter connection file.

import { readFileSync } from 'node:fs';

export interface ConnectionInfo {
  transport: 'tcp' | 'ipc';
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

export function readConnectionFile(file: string): ConnectionInfo {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<ConnectionInfo>;
  for (const k of ['shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port'] as const) {
    if (raw.transport !== 'ipc' && typeof raw[k] !== 'number') throw new Error(`connection file: ${k} missing`);
  }
  return {
    transport: raw.transport === 'ipc' ? 'ipc' : 'tcp',
    ip: raw.ip ?? '127.0.0.1',
    shell_port: raw.shell_port ?? 0,
    iopub_port: raw.iopub_port ?? 0,
    stdin_port: raw.stdin_port ?? 0,
    control_port: raw.control_port ?? 0,
    hb_port: raw.hb_port ?? 0,
    key: raw.key ?? '',
    signature_scheme: raw.signature_scheme ?? 'hmac-sha256',
    kernel_name: raw.kernel_name,
  };
}

export function endpoint(info: ConnectionInfo, port: number): string {
  return info.transport === 'ipc' ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}
