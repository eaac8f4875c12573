// The "Node processes" section of the debugger sidebar: a PanelWithToolbar (refresh in its
// title toolbar) whose body is a ReactWidget rendering the model (notice, error, threads, the
// attach form, the listener, what discovery found) again on each stateChanged. The section's
// root carries the data-* the browser tests read (debugger started, busy, last attach time).

import { CommandToolbarButton, PanelWithToolbar, ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import React from 'react';
import { AttachForm, ListenBox } from './attachForm';
import { CommandIDs } from './commands';
import { DiscoveredList } from './discoveredList';
import type { NodeProcessesModel } from './model';
import { ThreadList, type IListProps } from './threadList';
import type { Trans } from './tokens';

function Body(props: IListProps): JSX.Element {
  const { model, trans } = props;
  return (
    <>
      <div className="tsk-NodeProcesses-notice" data-testid="tsk-notice" hidden={!model.notice}>
        {model.notice}
      </div>
      <div className="tsk-NodeProcesses-error" data-testid="tsk-error" role="alert" hidden={!model.error}>
        {model.error}
      </div>
      <ThreadList {...props} />
      <AttachForm {...props} />
      <ListenBox {...props} />
      <div className="tsk-NodeProcesses-heading">{trans.__('Found on this machine')}</div>
      <DiscoveredList {...props} />
    </>
  );
}

class NodeProcessesBody extends ReactWidget {
  constructor(private readonly props: IListProps) {
    super();
    this.addClass('tsk-NodeProcesses-body');
  }

  render(): JSX.Element {
    return <UseSignal signal={this.props.model.stateChanged}>{() => <Body {...this.props} />}</UseSignal>;
  }
}

export namespace NodeProcessesPanel {
  export interface IOptions {
    model: NodeProcessesModel;
    commands: CommandRegistry;
    trans: Trans;
  }
}

export class NodeProcessesPanel extends PanelWithToolbar {
  constructor(options: NodeProcessesPanel.IOptions) {
    super();
    const { model, commands, trans } = options;
    this.model = model;
    this.id = 'tsk-node-processes';
    this.addClass('tsk-NodeProcesses');
    this.node.dataset.testid = 'tsk-node-processes';
    this.title.label = trans.__('Node processes');
    this.title.caption = trans.__('Processes the debugger is attached to, and ones it can attach to');
    this.toolbar.addClass('tsk-NodeProcesses-toolbar');
    this.toolbar.node.setAttribute('aria-label', trans.__('Node processes toolbar'));
    const refresh = new CommandToolbarButton({ commands, id: CommandIDs.refresh, label: '' });
    refresh.node.dataset.testid = 'tsk-refresh';
    this.toolbar.addItem('refresh', refresh);
    this.addWidget(new NodeProcessesBody({ model, commands, trans }));
    model.stateChanged.connect(this.onModelChanged, this);
    this.onModelChanged();
  }

  /** Whether the debugger's selected thread survives restoreState (jupyterlabPatches.ts). */
  set keepsSelection(value: boolean) {
    this.node.dataset.keepsSelection = String(value);
  }

  protected onAfterShow(): void {
    this.model.scheduleRefresh(0);
  }

  private onModelChanged(): void {
    const d = this.node.dataset;
    d.debuggerStarted = String(this.model.debuggerStarted);
    d.busy = String(this.model.busy);
    d.lastAttachMs = String(this.model.lastAttachMs ?? '');
  }

  private readonly model: NodeProcessesModel;
}
