// The section's thread list: the notebook, attached processes and their worker threads, each
// with its state; Show for a paused thread the debugger does not show, Detach for a process.

import type { CommandRegistry } from '@lumino/commands';
import React from 'react';
import { CommandIDs } from './commands';
import { Button } from './components';
import type { NodeProcessesModel } from './model';
import type { IThreadRow, ThreadState } from './threads';
import type { Trans } from './tokens';

export interface IListProps {
  model: NodeProcessesModel;
  commands: CommandRegistry;
  trans: Trans;
}

function stateLabel(trans: Trans, state: ThreadState, current: boolean): string {
  if (state === 'paused') return current ? trans.__('paused (shown)') : trans.__('paused');
  return state === 'running' ? trans.__('running') : trans.__('exited');
}

function ThreadItem(props: IListProps & { thread: IThreadRow; current: boolean }): JSX.Element {
  const { thread: t, current, commands, model, trans } = props;
  const args = { threadId: t.threadId };
  const showable = t.state === 'paused' && !current;
  const via = t.via === 'worker' ? trans.__('worker thread') : t.via ? trans.__('via %1', t.via) : '';
  const meta = [`#${t.threadId}`, t.pid ? trans.__('pid %1', t.pid) : '', via, t.reason ?? ''].filter(Boolean).join(' \u00b7 ');
  const classes = ['tsk-NodeProcesses-item', 'tsk-NodeProcesses-thread', `tsk-mod-${t.state}`];
  if (current) classes.push('tsk-mod-current');
  if (t.via === 'worker') classes.push('tsk-mod-worker');
  // A worker thread goes with its process (detaching the process detaches its workers).
  const detachable = t.threadId !== 1 && t.state !== 'exited' && t.via !== 'worker';
  return (
    <li
      className={classes.join(' ')}
      data-testid="tsk-thread"
      data-thread-id={t.threadId}
      data-state={t.state}
      data-kind={t.threadId === 1 ? 'notebook' : t.via === 'worker' ? 'worker' : 'attached'}
      aria-current={current ? 'true' : undefined}
      title={showable ? trans.__('Click to show its call stack') : undefined}
      onClick={showable ? () => void commands.execute(CommandIDs.showThread, args) : undefined}
    >
      <span className={`tsk-NodeProcesses-state tsk-mod-${t.state}`} data-testid="tsk-state">
        {stateLabel(trans, t.state, current)}
      </span>
      <span className="tsk-NodeProcesses-name" data-testid="tsk-name">
        {t.name}
      </span>
      <span className="tsk-NodeProcesses-meta">{meta}</span>
      <span className="tsk-NodeProcesses-actions">
        {showable && (
          <Button
            label={trans.__('Show')}
            testid="tsk-select"
            title={trans.__('Show this thread\u2019s call stack and variables')}
            onClick={(e) => {
              e.stopPropagation();
              void commands.execute(CommandIDs.showThread, args);
            }}
          />
        )}
        {detachable && (
          <Button
            label={trans.__('Detach')}
            testid="tsk-detach"
            title={trans.__('Detach: the process keeps running')}
            disabled={!model.canAttach}
            onClick={(e) => {
              e.stopPropagation();
              void commands.execute(CommandIDs.detach, args);
            }}
          />
        )}
      </span>
    </li>
  );
}

export function ThreadList(props: IListProps): JSX.Element {
  const { model, trans } = props;
  const current = model.currentThread;
  const rows = model.threads;
  return (
    <ul className="tsk-NodeProcesses-list" data-testid="tsk-targets">
      {rows.map((t) => (
        <ThreadItem key={t.threadId} {...props} thread={t} current={current === t.threadId} />
      ))}
      {!rows.length && <li className="tsk-NodeProcesses-empty">{model.hasKernel && model.isTskernel ? trans.__('No threads yet.') : ''}</li>}
    </ul>
  );
}
