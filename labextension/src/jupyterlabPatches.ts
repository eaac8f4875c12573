// Every place this extension reaches past JupyterLab's public debugger API, in one module. Each
// patch was written against @jupyterlab/debugger 4.5 (JupyterLab 4.5; the debugger package is
// versioned with the application, so the app's version is the debugger's) and is skipped, with a
// console warning, on any other version: the section then still lists, attaches and detaches, but
// the user's choice of thread may be lost when a notebook gets focus, "Show" does nothing, and the
// section is appended last and only its body is hidden for other kernels. Each patch says which
// upstream API would replace it.

import type { IDebugger } from '@jupyterlab/debugger';
import { SidePanel, type Toolbar } from '@jupyterlab/ui-components';
import { Signal } from '@lumino/signaling';
import { AccordionPanel, type Widget } from '@lumino/widgets';

/** The JupyterLab versions these patches were written for. */
const WRITTEN_FOR = /^4\.5\./;

export interface IPatches {
  /** Whether the patches apply (false: every function below falls back to public API only). */
  readonly active: boolean;
  /** Keeps `selected()` first in the debugger model's stoppedThreads; true when installed. */
  keepThreadFirst(model: IDebugger.Model.IService, selected: () => number | undefined): boolean;
  /** Shows a paused thread's call stack, scopes and variables; true when it could. */
  showThread(service: IDebugger, threadId: number): boolean;
  /** Puts the section first in the debugger sidebar. */
  placeFirst(sidebar: IDebugger.ISidebar, section: Toolbar.IWidgetToolbar): void;
  /** Gives the first section twice the room of the others (once the sidebar has them all). */
  sizeFirst(sidebar: IDebugger.ISidebar, section: Widget): void;
  /** Shows or hides the section together with its accordion title. */
  setSectionVisible(sidebar: IDebugger.ISidebar, section: Widget, visible: boolean): void;
}

export function createPatches(appVersion: string): IPatches {
  const active = WRITTEN_FOR.test(appVersion);
  if (!active) {
    console.warn(
      `@tskernel/labextension: its JupyterLab patches were written for JupyterLab 4.5 and are off on ${appVersion}: the debugger may show a different paused thread than the one picked in Node processes.`,
    );
  }
  return {
    active,
    keepThreadFirst: (model, selected) => active && keepThreadFirst(model, selected),
    showThread: (service, threadId) => active && showThread(service, threadId),
    placeFirst: (sidebar, section) => {
      if (active && sidebar instanceof SidePanel) sidebar.insertWidget(0, section);
      else sidebar.addWidget(section);
    },
    sizeFirst: (sidebar, section) => {
      if (active && sidebar instanceof SidePanel) sizeFirst(sidebar, section);
    },
    setSectionVisible: (sidebar, section, visible) => {
      if (active && sidebar instanceof SidePanel) setTitleVisible(sidebar, section, visible);
      if (visible && section.isHidden) section.show();
      else if (!visible && !section.isHidden) section.hide();
    },
  };
}

/**
 * Patch 1. The service's restoreState (run whenever a notebook becomes current) replaces the
 * model's stoppedThreads with debugInfo's list and shows the first one (the lowest id), so the
 * thread that stopped last, or that the user picked, would lose to the notebook. The instance's
 * accessor is redefined so that the selected thread stays first.
 * Upstream replacement: a current-thread property on IDebugger.Model.IService (kept by
 * restoreState when that thread is still stopped), or IDebugger.selectThread(threadId).
 */
function keepThreadFirst(model: IDebugger.Model.IService, selected: () => number | undefined): boolean {
  // The accessor lives on a base class (Debugger.Model extends DebuggerModel).
  let desc: PropertyDescriptor | undefined;
  for (let p: unknown = Object.getPrototypeOf(model); p && typeof p === 'object' && !desc; p = Object.getPrototypeOf(p)) {
    desc = Object.getOwnPropertyDescriptor(p, 'stoppedThreads');
  }
  if (!desc?.get || !desc.set || Object.getOwnPropertyDescriptor(model, 'stoppedThreads')) return false;
  const { get, set } = desc;
  Object.defineProperty(model, 'stoppedThreads', {
    configurable: true,
    enumerable: desc.enumerable,
    get(this: IDebugger.Model.IService): Set<number> {
      return get.call(this);
    },
    set(this: IDebugger.Model.IService, threads: Set<number>) {
      const want = selected();
      const ordered = want !== undefined && threads instanceof Set && threads.has(want) ? new Set([want, ...[...threads].filter((t) => t !== want)]) : threads;
      set.call(this, ordered);
    },
  });
  return true;
}

/**
 * Patch 2. The service shows the thread of the latest `stopped` event (stackTrace for it, then
 * scopes and variables of the top frame, and the editor follows the frame); there is no public
 * call that does this for a chosen thread. The stop is re-announced on the session's signal.
 * Upstream replacement: IDebugger.selectThread(threadId) (or a settable current thread on the
 * model that the service follows).
 */
function showThread(service: IDebugger, threadId: number): boolean {
  const signal = service.session?.eventMessage;
  if (!(signal instanceof Signal)) return false;
  const event: IDebugger.ISession.Event = { seq: 0, type: 'event', event: 'stopped', body: { reason: 'focus', threadId, preserveFocusHint: false, allThreadsStopped: false } };
  signal.emit(event);
  return true;
}

/**
 * Patch 3. IDebugger.ISidebar is typed as a plain Panel; the debugger's sidebar is a SidePanel
 * whose content is an AccordionPanel, and only that class can insert a section first, size it,
 * and hide a section's title with it.
 * Upstream replacement: insertWidget / section visibility on IDebugger.ISidebar (SidePanel API).
 * (placeFirst uses SidePanel.insertWidget directly, above.)
 */
function sizeFirst(sidebar: SidePanel, section: Widget): void {
  const accordion = sidebar.content;
  if (accordion instanceof AccordionPanel && accordion.widgets[0] === section && accordion.widgets.length > 1) {
    // Twice the room of the other sections: it holds the attach form and the lists.
    accordion.setRelativeSizes(accordion.widgets.map((_, i) => (i === 0 ? 2 : 1)));
  }
}

function setTitleVisible(sidebar: SidePanel, section: Widget, visible: boolean): void {
  const accordion = sidebar.content;
  if (!(accordion instanceof AccordionPanel)) return;
  const i = accordion.widgets.indexOf(section);
  const title = i >= 0 ? accordion.titles[i] : undefined;
  if (title) title.style.display = visible ? '' : 'none';
}
