// The attach form (inspector port or host:port, process id, "Listen for agents") and, while the
// kernel listens, the one-time command and token with Copy buttons and "Stop listening".

import React, { useRef, useState } from 'react';
import { CommandIDs } from './commands';
import { Button, CopyButton, readonlyTrue } from './components';
import type { IListenInfo } from './model';
import type { IListProps } from './threadList';

export function AttachForm(props: IListProps): JSX.Element {
  const { model, commands, trans } = props;
  const [address, setAddress] = useState('');
  const [pid, setPid] = useState('');
  const attachPort = (): void => void commands.execute(CommandIDs.attachPort, { address });
  const attachPid = (): void => void commands.execute(CommandIDs.attachPid, { pid });
  return (
    <div className="tsk-NodeProcesses-form">
      <div className="tsk-NodeProcesses-row">
        <label className="tsk-NodeProcesses-label">{trans.__('Inspector')}</label>
        <input
          className="jp-mod-styled tsk-NodeProcesses-input"
          type="text"
          placeholder={trans.__('port or host:port')}
          aria-label={trans.__('Inspector port or host:port')}
          data-testid="tsk-port-input"
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && attachPort()}
        />
        <Button label={trans.__('Attach')} testid="tsk-attach-port" title={trans.__('Attach to a Node inspector (node --inspect) on this port')} disabled={!model.canAttach} onClick={attachPort} />
      </div>
      <div className="tsk-NodeProcesses-row">
        <label className="tsk-NodeProcesses-label">{trans.__('Process')}</label>
        <input
          className="jp-mod-styled tsk-NodeProcesses-input"
          type="text"
          inputMode="numeric"
          placeholder={trans.__('pid')}
          aria-label={trans.__('Process id')}
          data-testid="tsk-pid-input"
          value={pid}
          onChange={(e) => setPid(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && attachPid()}
        />
        <Button label={trans.__('Attach')} testid="tsk-attach-pid" title={trans.__('Attach to a Node process on this machine by pid')} disabled={!model.canAttach} onClick={attachPid} />
      </div>
      <div className="tsk-NodeProcesses-row">
        <Button
          label={trans.__('Listen for agents')}
          testid="tsk-listen"
          title={trans.__('Start the kernel\u2019s attach listener and get a one-time command for the process to dial back')}
          disabled={!model.canListen}
          onClick={() => void commands.execute(CommandIDs.listen)}
        />
      </div>
    </div>
  );
}

function ListenDetails(props: IListProps & { info: IListenInfo }): JSX.Element {
  const { info, commands, trans } = props;
  const command = useRef<HTMLTextAreaElement | null>(null);
  const token = useRef<HTMLInputElement | null>(null);
  const expires = info.expiresAt ? new Date(info.expiresAt).toLocaleTimeString() : '?';
  const text =
    trans.__('Listening on %1:%2. Start your program with this command (one use, expires %3); it appears below as a waiting agent.', info.host, info.port, expires) +
    (info.warning ? ` ${info.warning}` : '');
  return (
    <>
      <div className="tsk-NodeProcesses-listenInfo" data-testid="tsk-listen-info">
        {text}
      </div>
      <textarea
        ref={(el) => {
          command.current = el;
          readonlyTrue(el);
        }}
        className="jp-mod-styled tsk-NodeProcesses-command"
        readOnly
        rows={3}
        aria-label={trans.__('Command to start the process with the agent')}
        data-testid="tsk-listen-command"
        value={info.command}
      />
      <div className="tsk-NodeProcesses-row">
        <CopyButton label={trans.__('Copy')} testid="tsk-copy" title={trans.__('Copy the command')} trans={trans} text={info.command} field={command} />
        <Button
          label={trans.__('Stop listening')}
          testid="tsk-listen-stop"
          title={trans.__('Close the listener and revoke its tokens')}
          onClick={() => void commands.execute(CommandIDs.stopListening)}
        />
      </div>
      <div className="tsk-NodeProcesses-row">
        <input
          ref={(el) => {
            token.current = el;
            readonlyTrue(el);
          }}
          className="jp-mod-styled tsk-NodeProcesses-token"
          readOnly
          type="text"
          aria-label={trans.__('Attach token')}
          data-testid="tsk-listen-token"
          value={info.token}
        />
        <CopyButton label={trans.__('Copy token')} testid="tsk-copy-token" title={trans.__('Copy the token only')} trans={trans} text={info.token} field={token} />
      </div>
    </>
  );
}

/** The listener box; in the page (hidden) while not listening, as before. */
export function ListenBox(props: IListProps): JSX.Element {
  const info = props.model.listenInfo;
  return (
    <div className="tsk-NodeProcesses-listen" data-testid="tsk-listen-box" hidden={!info}>
      {info && <ListenDetails {...props} info={info} />}
    </div>
  );
}
