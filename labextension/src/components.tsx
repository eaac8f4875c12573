// Small React pieces the section's views share: its styled button, and a Copy button with
// "Copied" / "Copy failed" feedback.

import React, { useEffect, useState } from 'react';
import { copyText } from './copy';
import type { Trans } from './tokens';

export interface IButtonProps {
  label: string;
  testid: string;
  title?: string;
  disabled?: boolean;
  onClick: (e: React.MouseEvent<HTMLButtonElement>) => void;
}

export function Button(props: IButtonProps): JSX.Element {
  return (
    <button type="button" className="jp-Button jp-mod-styled jp-mod-reject tsk-NodeProcesses-button" data-testid={props.testid} title={props.title} disabled={props.disabled} onClick={props.onClick}>
      {props.label}
    </button>
  );
}

export interface ICopyButtonProps {
  label: string;
  testid: string;
  title: string;
  trans: Trans;
  /** The text, and the field holding it (its selection is the fallback copy path). */
  text: string;
  field: React.RefObject<HTMLTextAreaElement | HTMLInputElement>;
}

export function CopyButton(props: ICopyButtonProps): JSX.Element {
  // The latest result (a new object per click, so a second click restarts the feedback).
  const [result, setResult] = useState<{ ok: boolean } | null>(null);
  const [feedback, setFeedback] = useState(false);
  useEffect(() => {
    if (!result) return undefined;
    setFeedback(true);
    const timer = setTimeout(() => setFeedback(false), 1500);
    return () => clearTimeout(timer);
  }, [result]);
  const copied = result?.ok;
  const label = feedback ? (copied ? props.trans.__('Copied') : props.trans.__('Copy failed')) : props.label;
  return (
    <button
      type="button"
      className="jp-Button jp-mod-styled jp-mod-reject tsk-NodeProcesses-button"
      data-testid={props.testid}
      data-copied={copied === undefined ? undefined : String(copied)}
      title={props.title}
      onClick={() => {
        void copyText(props.text, props.field.current).then((ok) => setResult({ ok }));
      }}
    >
      {label}
    </button>
  );
}

/** Sets readonly="true" as an attribute (React writes readonly=""; the value is what scripts read). */
export function readonlyTrue(node: HTMLElement | null): void {
  node?.setAttribute('readonly', 'true');
}
