// The section's commands: attach by port / by pid / a discovered entry, detach, show a paused
// thread, listen for agents, stop listening, refresh. The section's buttons run them through the
// CommandRegistry; the palette lists those that need no row (index.ts), and the context menu of a
// row (declared in schema/plugin.json) runs them for the row under the pointer.

import type { CommandRegistry } from '@lumino/commands';
import { InputDialog } from '@jupyterlab/apputils';
import { refreshIcon } from '@jupyterlab/ui-components';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { NodeProcessesModel } from './model';
import type { Trans } from './tokens';

export namespace CommandIDs {
  export const attachPort = 'tskernel:attach-port';
  export const attachPid = 'tskernel:attach-pid';
  export const attachDiscovered = 'tskernel:attach-discovered';
  export const detach = 'tskernel:detach';
  export const showThread = 'tskernel:show-thread';
  export const listen = 'tskernel:listen';
  export const stopListening = 'tskernel:stop-listening';
  export const refresh = 'tskernel:refresh';
}

/** The commands that make sense from the palette (no row needed). */
export const PALETTE_COMMANDS = [CommandIDs.attachPort, CommandIDs.attachPid, CommandIDs.listen, CommandIDs.stopListening, CommandIDs.refresh];

/** The element under the pointer of the open context menu that passes `test` (app.contextMenuHitTest). */
export type HitTest = (test: (node: HTMLElement) => boolean) => HTMLElement | undefined;

/** A discovered entry: from the command's arguments, else from the row under the context menu. */
type Discovered = { kind: 'inspector'; port: number; host: string } | { kind: 'agent'; agentId: string } | { kind: 'process'; pid: number };

function discoveredFrom(args: ReadonlyPartialJSONObject, hit: HitTest): Discovered | undefined {
  let { kind, port, host, agentId, pid } = args;
  if (kind === undefined) {
    const node = hit((n) => ['tsk-inspector', 'tsk-agent', 'tsk-process'].includes(n.dataset.testid ?? ''));
    if (!node) return undefined;
    kind = node.dataset.testid?.slice(4);
    port = Number(node.dataset.port);
    host = node.dataset.host;
    agentId = node.dataset.agentId;
    pid = Number(node.dataset.pid);
  }
  if (kind === 'inspector' && typeof port === 'number' && typeof host === 'string') return { kind, port, host };
  if (kind === 'agent' && typeof agentId === 'string') return { kind, agentId };
  if (kind === 'process' && typeof pid === 'number') return { kind, pid };
  return undefined;
}

function threadFrom(args: ReadonlyPartialJSONObject, hit: HitTest): number | undefined {
  if (typeof args.threadId === 'number') return args.threadId;
  const id = Number(hit((n) => n.dataset.threadId !== undefined)?.dataset.threadId);
  return Number.isInteger(id) ? id : undefined;
}

export function addCommands(commands: CommandRegistry, model: NodeProcessesModel, trans: Trans, hit: HitTest): void {
  commands.addCommand(CommandIDs.attachPort, {
    label: (args) => (args.address === undefined ? trans.__('Attach to a Node Inspector…') : trans.__('Attach')),
    caption: trans.__('Attach to a Node inspector (node --inspect) on this port'),
    isEnabled: () => model.canAttach,
    execute: async (args) => {
      let address = typeof args.address === 'string' ? args.address : undefined;
      if (address === undefined) {
        const r = await InputDialog.getText({ title: trans.__('Attach to a Node Inspector'), label: trans.__('Port or host:port'), placeholder: '9229' });
        if (!r.button.accept || r.value === null) return undefined;
        address = r.value;
      }
      return model.attachAddress(address);
    },
  });
  commands.addCommand(CommandIDs.attachPid, {
    label: (args) => (args.pid === undefined ? trans.__('Attach to a Node Process by Id…') : trans.__('Attach')),
    caption: trans.__('Attach to a Node process on this machine by pid'),
    isEnabled: () => model.canAttach,
    execute: async (args) => {
      let pid = typeof args.pid === 'string' || typeof args.pid === 'number' ? args.pid : undefined;
      if (pid === undefined) {
        const r = await InputDialog.getText({ title: trans.__('Attach to a Node Process'), label: trans.__('Process id') });
        if (!r.button.accept || r.value === null) return undefined;
        pid = r.value;
      }
      return model.attachPid(pid);
    },
  });
  commands.addCommand(CommandIDs.attachDiscovered, {
    label: trans.__('Attach'),
    caption: trans.__('Attach to this process'),
    isVisible: (args) => discoveredFrom(args, hit) !== undefined,
    isEnabled: (args) => {
      const d = discoveredFrom(args, hit);
      return model.canAttach && !(d?.kind === 'inspector' && model.isInspectorAttached(d));
    },
    execute: (args) => {
      const d = discoveredFrom(args, hit);
      if (d?.kind === 'inspector') return model.attachInspector(d);
      if (d?.kind === 'agent') return model.attachAgent(d.agentId);
      if (d?.kind === 'process') return model.attachPid(d.pid);
      return undefined;
    },
  });
  commands.addCommand(CommandIDs.detach, {
    label: trans.__('Detach'),
    caption: trans.__('Detach: the process keeps running'),
    isVisible: (args) => {
      const t = model.getThread(threadFrom(args, hit) ?? 0);
      return !!t && t.threadId !== 1 && t.via !== 'worker';
    },
    isEnabled: (args) => model.canDetach(threadFrom(args, hit) ?? 0),
    execute: (args) => {
      const id = threadFrom(args, hit);
      return id === undefined ? undefined : model.detach(id);
    },
  });
  commands.addCommand(CommandIDs.showThread, {
    label: trans.__('Show'),
    caption: trans.__('Show this thread\u2019s call stack and variables'),
    isVisible: (args) => model.getThread(threadFrom(args, hit) ?? 0)?.state === 'paused',
    isEnabled: (args) => threadFrom(args, hit) !== model.currentThread,
    execute: (args) => {
      const id = threadFrom(args, hit);
      if (id !== undefined) model.select(id);
    },
  });
  commands.addCommand(CommandIDs.listen, {
    label: trans.__('Listen for Agents'),
    caption: trans.__('Start the kernel\u2019s attach listener and get a one-time command for the process to dial back'),
    isEnabled: () => model.canListen,
    execute: () => model.listen(),
  });
  commands.addCommand(CommandIDs.stopListening, {
    label: trans.__('Stop Listening for Agents'),
    caption: trans.__('Close the listener and revoke its tokens'),
    isEnabled: () => model.listenInfo !== null && !model.busy,
    execute: () => model.stopListening(),
  });
  commands.addCommand(CommandIDs.refresh, {
    label: trans.__('Refresh Node Processes'),
    caption: trans.__('Refresh the list of processes'),
    icon: refreshIcon,
    execute: () => model.refreshAll(),
  });
  // Enabled states follow the model: toolbar buttons and the palette re-read them when what
  // they depend on changed (not on every state change: each notice re-renders command buttons).
  let last = '';
  model.stateChanged.connect(() => {
    const now = [model.canAttach, model.canListen, model.busy, model.listenInfo !== null].join();
    if (now === last) return;
    last = now;
    for (const id of Object.values(CommandIDs)) commands.notifyCommandChanged(id);
  });
}
