// The interfaces between the section's parts: what the model needs of JupyterLab's debugger
// service (an IDebugger satisfies it structurally; the model's tests pass a fake) and what the
// model hands its views.

import type { TranslationBundle } from '@jupyterlab/translation';
import type { ISignal } from '@lumino/signaling';
import type { IDebugKernel } from './protocol';

/** A debug_event as the service re-emits it. */
export interface IDapEvent {
  readonly event: string;
  readonly body?: unknown;
}

/** What the model uses of JupyterLab's debugger service (an IDebugger is one). */
export interface IDebugService {
  readonly session: { readonly connection: { readonly kernel: IDebugKernel | null } | null } | null;
  readonly isStarted: boolean;
  readonly eventMessage: ISignal<unknown, IDapEvent>;
  readonly sessionChanged: ISignal<unknown, unknown>;
  hasStoppedThreads(): boolean;
  displayModules(): Promise<void>;
  readonly model: {
    readonly stoppedThreads: ReadonlySet<number>;
    readonly titleChanged: ISignal<unknown, unknown>;
    readonly callstack: { readonly framesChanged: ISignal<unknown, unknown> };
  };
}

/** The listener's one-time command, while it listens. */
export interface IListenInfo {
  readonly host: string;
  readonly port: number;
  readonly command: string;
  readonly token: string;
  readonly expiresAt?: string;
  readonly warning?: string;
}

/** The translation calls the model and views make (a TranslationBundle). */
export type Trans = Pick<TranslationBundle, '__'>;
