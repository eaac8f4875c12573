// "Found on this machine": inspectors on the configured ports, agents waiting in the kernel's
// listener, and this user's Node processes not attached yet, each with a one-click Attach.

import React from 'react';
import { CommandIDs } from './commands';
import { Button } from './components';
import type { AgentInfo, InspectorInfo, ProcessInfo } from './protocol';
import type { IListProps } from './threadList';

function Attach(props: IListProps & { args: { kind: string; [k: string]: string | number }; title: string; disabled: boolean }): JSX.Element {
  return (
    <span className="tsk-NodeProcesses-actions">
      <Button
        label={props.trans.__('Attach')}
        testid="tsk-attach-discovered"
        title={props.title}
        disabled={props.disabled}
        onClick={() => void props.commands.execute(CommandIDs.attachDiscovered, props.args)}
      />
    </span>
  );
}

function InspectorItem(props: IListProps & { inspector: InspectorInfo }): JSX.Element {
  const { inspector: i, model, trans } = props;
  const title =
    i.targets
      .map((t) => t.title || t.url)
      .filter(Boolean)
      .join(', ') || trans.__('Node inspector');
  return (
    <li className="tsk-NodeProcesses-item tsk-NodeProcesses-inspector" data-testid="tsk-inspector" data-port={i.port} data-host={i.host}>
      <span className="tsk-NodeProcesses-kind">{trans.__('inspector')}</span>
      <span className="tsk-NodeProcesses-name">{`${i.host}:${i.port}`}</span>
      <span className="tsk-NodeProcesses-meta">{title}</span>
      <Attach
        {...props}
        args={{ kind: 'inspector', port: i.port, host: i.host }}
        title={trans.__('Attach to the inspector on %1:%2', i.host, i.port)}
        disabled={!model.canAttach || model.isInspectorAttached(i)}
      />
    </li>
  );
}

function AgentItem(props: IListProps & { agent: AgentInfo }): JSX.Element {
  const { agent: a, model, trans } = props;
  return (
    <li className="tsk-NodeProcesses-item tsk-NodeProcesses-agent" data-testid="tsk-agent" data-agent-id={a.id} data-pid={a.pid}>
      <span className="tsk-NodeProcesses-kind">{trans.__('agent waiting')}</span>
      <span className="tsk-NodeProcesses-name">{a.title || trans.__('pid %1', a.pid)}</span>
      <span className="tsk-NodeProcesses-meta">{trans.__('pid %1 \u00b7 node %2 \u00b7 from %3', a.pid, a.node, a.remoteAddress)}</span>
      <Attach {...props} args={{ kind: 'agent', agentId: a.id }} title={trans.__('Attach the agent that dialed in')} disabled={!model.canAttach} />
    </li>
  );
}

function ProcessItem(props: IListProps & { process: ProcessInfo }): JSX.Element {
  const { process: p, model, trans } = props;
  return (
    <li className="tsk-NodeProcesses-item tsk-NodeProcesses-process" data-testid="tsk-process" data-pid={p.pid}>
      <span className="tsk-NodeProcesses-kind">{trans.__('process')}</span>
      {/* The short label only; the (kernel-redacted) command line is the tooltip. */}
      <span className="tsk-NodeProcesses-name" title={p.command}>
        {p.label ?? trans.__('pid %1', p.pid)}
      </span>
      <Attach {...props} args={{ kind: 'process', pid: p.pid }} title={trans.__('Attach to pid %1', p.pid)} disabled={!model.canAttach} />
    </li>
  );
}

export function DiscoveredList(props: IListProps): JSX.Element {
  const { model, trans } = props;
  const ports = model.settings.ports;
  const empty = !model.inspectors.length && !model.agents.length && !model.processes.length;
  return (
    <ul className="tsk-NodeProcesses-list tsk-NodeProcesses-found" data-testid="tsk-discovered">
      {model.inspectors.map((i) => (
        <InspectorItem key={`i:${i.host}:${i.port}`} {...props} inspector={i} />
      ))}
      {model.agents.map((a) => (
        <AgentItem key={`a:${a.id}`} {...props} agent={a} />
      ))}
      {model.processes.map((p) => (
        <ProcessItem key={`p:${p.pid}`} {...props} process={p} />
      ))}
      {empty && <li className="tsk-NodeProcesses-empty">{ports ? trans.__('Nothing found (inspector ports %1).', ports.join(', ') || trans.__('none')) : trans.__('Nothing found.')}</li>}
    </ul>
  );
}
