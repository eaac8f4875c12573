// @tskernel/labextension: the "Node processes" section of JupyterLab's debugger sidebar.

import { ILabShell, type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IDebugger, IDebuggerSidebar } from '@jupyterlab/debugger';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import type { AccordionPanel } from '@lumino/widgets';
import { DEFAULT_SETTINGS, NodeProcessesPanel, type ISettings } from './panel';

export const PLUGIN_ID = '@tskernel/labextension:plugin';

function readSettings(s: ISettingRegistry.ISettings): ISettings {
  const get = <K extends keyof ISettings>(k: K): ISettings[K] => (s.get(k).composite as ISettings[K] | undefined) ?? DEFAULT_SETTINGS[k];
  const ports = get('ports');
  const hosts = get('allowedHosts');
  return {
    ports: Array.isArray(ports) ? ports.filter((p) => Number.isInteger(p) && p >= 1 && p <= 65535) : DEFAULT_SETTINGS.ports,
    allowedHosts: Array.isArray(hosts) ? hosts.filter((h) => typeof h === 'string' && h.trim()).map((h) => h.trim()) : [],
    listenAddress: String(get('listenAddress') || DEFAULT_SETTINGS.listenAddress),
    showForOtherKernels: get('showForOtherKernels') === true,
  };
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'tskernel: list, attach to and detach Node processes from the debugger sidebar.',
  autoStart: true,
  requires: [IDebugger, IDebuggerSidebar],
  optional: [ISettingRegistry, ILabShell],
  activate: (app: JupyterFrontEnd, service: IDebugger, sidebar: IDebugger.ISidebar, settingRegistry: ISettingRegistry | null, labShell: ILabShell | null) => {
    const panel = new NodeProcessesPanel(service);
    // First section: the processes decide whose call stack the sections below show.
    const side = sidebar as unknown as { insertWidget?: (i: number, w: NodeProcessesPanel) => void; addWidget: (w: NodeProcessesPanel) => void; content?: AccordionPanel };
    if (typeof side.insertWidget === 'function') side.insertWidget(0, panel);
    else side.addWidget(panel);

    // Hidden (with its accordion title) for kernels that are not tskernel, unless the setting says otherwise.
    panel.onVisibility = (visible) => {
      const accordion = side.content;
      const i = accordion ? accordion.widgets.indexOf(panel) : -1;
      const title = i >= 0 ? accordion!.titles[i] : undefined;
      if (title) title.style.display = visible ? '' : 'none';
      if (visible && panel.isHidden) panel.show();
      else if (!visible && !panel.isHidden) panel.hide();
    };

    labShell?.currentChanged.connect(() => panel.contextChanged());
    app.restored
      .then(() => {
        // Twice the room of the other sections: it holds the attach form and the lists.
        const accordion = side.content;
        if (accordion && accordion.widgets[0] === panel && accordion.widgets.length > 1) {
          accordion.setRelativeSizes(accordion.widgets.map((_, i) => (i === 0 ? 2 : 1)));
        }
        panel.contextChanged();
      })
      .catch(() => undefined);

    if (settingRegistry) {
      settingRegistry
        .load(PLUGIN_ID)
        .then((s) => {
          panel.updateSettings(readSettings(s));
          s.changed.connect(() => panel.updateSettings(readSettings(s)));
        })
        .catch((e: Error) => console.warn(`${PLUGIN_ID}: settings not loaded: ${e.message}`));
    }
  },
};

export default plugin;
