// @tskernel/labextension: the "Node processes" section of JupyterLab's debugger sidebar. Wires the
// model (model.ts) to the debugger service, the section (panel.tsx) into the sidebar, the commands
// (commands.ts) into the registry and the palette, the settings into the model, and installs the
// version-guarded patches of JupyterLab internals (jupyterlabPatches.ts).

import { ILabShell, type JupyterFrontEnd, type JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDebugger, IDebuggerSidebar } from '@jupyterlab/debugger';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { addCommands, PALETTE_COMMANDS } from './commands';
import { createPatches } from './jupyterlabPatches';
import { NodeProcessesModel } from './model';
import { NodeProcessesPanel } from './panel';
import { readSettings } from './settings';

export const PLUGIN_ID = '@tskernel/labextension:plugin';

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'tskernel: list, attach to and detach Node processes from the debugger sidebar.',
  autoStart: true,
  requires: [IDebugger, IDebuggerSidebar],
  optional: [ISettingRegistry, ILabShell, ITranslator, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    service: IDebugger,
    sidebar: IDebugger.ISidebar,
    settingRegistry: ISettingRegistry | null,
    labShell: ILabShell | null,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
  ) => {
    const trans = (translator ?? nullTranslator).load('tskernel');
    const patches = createPatches(app.version);
    let panel: NodeProcessesPanel | undefined;
    const model = new NodeProcessesModel({
      service,
      trans,
      showThread: (threadId) => patches.showThread(service, threadId),
      // Discovery runs only while the section is on screen.
      isShown: () => panel?.isVisible ?? false,
    });
    addCommands(app.commands, model, trans, (test) => app.contextMenuHitTest(test));
    const category = trans.__('Debugger');
    if (palette) for (const command of PALETTE_COMMANDS) palette.addItem({ command, category });

    panel = new NodeProcessesPanel({ model, commands: app.commands, trans });
    panel.keepsSelection = patches.keepThreadFirst(service.model, () => model.selected);
    // First section: the processes decide whose call stack the sections below show.
    patches.placeFirst(sidebar, panel);
    // Hidden (with its accordion title) for kernels that are not tskernel, unless the setting says otherwise.
    const section = panel;
    model.visibilityChanged.connect((_, visible) => patches.setSectionVisible(sidebar, section, visible));

    labShell?.currentChanged.connect(() => model.contextChanged());
    app.restored
      .then(() => {
        patches.sizeFirst(sidebar, section);
        model.contextChanged();
      })
      .catch(() => undefined);

    if (settingRegistry) {
      settingRegistry
        .load(PLUGIN_ID)
        .then((s) => {
          model.setSettings(readSettings(s.composite));
          s.changed.connect(() => model.setSettings(readSettings(s.composite)));
        })
        .catch((e: Error) => console.warn(`${PLUGIN_ID}: settings not loaded: ${e.message}`));
    }
  },
};

export default plugin;
