// The app entry, rendered by webpack.config.js with Handlebars into build/index.out.js.
// A reduced copy of JupyterLab 4.5's dev_mode/index.js.
import { PageConfig, JupyterPluginRegistry } from '@jupyterlab/coreutils';

import './style.js';

// Plugins compiled out: they need server pieces we do not have (jupyter-lsp, the news feed).
const DISABLED = {{{json disabledExtensions}}};

async function createModule(scope, module) {
  try {
    const factory = await window._JUPYTERLAB[scope].get(module);
    const instance = factory();
    instance.__scope__ = scope;
    return instance;
  } catch (e) {
    console.warn(`Failed to create module: package: ${scope}; module: ${module}`);
    throw e;
  }
}

export async function main() {
  const pluginRegistry = new JupyterPluginRegistry();
  const { JupyterLab } = require('@jupyterlab/application');
  const disabled = [];
  const deferred = [];
  const ignorePlugins = [];
  const register = [];
  const mimeExtensions = [];
  const allPlugins = [];

  const federated = JSON.parse(PageConfig.getOption('federated_extensions') || '[]');
  const federatedNames = new Set();
  const federatedExtensionPromises = [];
  const federatedMimeExtensionPromises = [];
  const federatedStylePromises = [];
  for (const data of federated) {
    if (data.extension) {
      federatedNames.add(data.name);
      federatedExtensionPromises.push(createModule(data.name, data.extension));
    }
    if (data.mimeExtension) {
      federatedNames.add(data.name);
      federatedMimeExtensionPromises.push(createModule(data.name, data.mimeExtension));
    }
    if (data.style && !PageConfig.Extension.isDisabled(data.name)) {
      federatedStylePromises.push(createModule(data.name, data.style));
    }
  }

  const isDisabled = id =>
    PageConfig.Extension.isDisabled(id) ||
    DISABLED.includes(id) ||
    DISABLED.includes(id.split(':')[0]);

  function* activePlugins(extension) {
    const exports = Object.prototype.hasOwnProperty.call(extension, '__esModule')
      ? extension.default
      : extension;
    const plugins = Array.isArray(exports) ? exports : [exports];
    for (const plugin of plugins) {
      const off = isDisabled(plugin.id);
      allPlugins.push({
        id: plugin.id,
        description: plugin.description,
        requires: plugin.requires ?? [],
        optional: plugin.optional ?? [],
        provides: plugin.provides ?? null,
        autoStart: plugin.autoStart,
        enabled: !off,
        extension: extension.__scope__
      });
      if (off) {
        disabled.push(plugin.id);
        continue;
      }
      if (PageConfig.Extension.isDeferred(plugin.id)) {
        deferred.push(plugin.id);
        ignorePlugins.push(plugin.id);
      }
      yield plugin;
    }
  }

  {{#each mimeExtensions}}
  if (!federatedNames.has('{{@key}}')) {
    try {
      const ext = require('{{@key}}{{#if this}}/{{this}}{{/if}}');
      ext.__scope__ = '{{@key}}';
      for (const plugin of activePlugins(ext)) {
        mimeExtensions.push(plugin);
      }
    } catch (e) {
      console.error(e);
    }
  }
  {{/each}}
  for (const p of await Promise.allSettled(federatedMimeExtensionPromises)) {
    if (p.status === 'fulfilled') {
      for (const plugin of activePlugins(p.value)) {
        mimeExtensions.push(plugin);
      }
    } else {
      console.error(p.reason);
    }
  }

  {{#each extensions}}
  if (!federatedNames.has('{{@key}}')) {
    try {
      const ext = require('{{@key}}{{#if this}}/{{this}}{{/if}}');
      ext.__scope__ = '{{@key}}';
      for (const plugin of activePlugins(ext)) {
        register.push(plugin);
      }
    } catch (e) {
      console.error(e);
    }
  }
  {{/each}}
  for (const p of await Promise.allSettled(federatedExtensionPromises)) {
    if (p.status === 'fulfilled') {
      for (const plugin of activePlugins(p.value)) {
        register.push(plugin);
      }
    } else {
      console.error(p.reason);
    }
  }
  for (const p of await Promise.allSettled(federatedStylePromises)) {
    if (p.status === 'rejected') {
      console.error(p.reason);
    }
  }

  pluginRegistry.registerPlugins(register);
  const { IConnectionStatus, IServiceManager } = require('@jupyterlab/services');
  const connectionStatus = await pluginRegistry.resolveOptionalService(IConnectionStatus);
  const serviceManager = await pluginRegistry.resolveRequiredService(IServiceManager);

  const lab = new JupyterLab({
    pluginRegistry,
    serviceManager,
    mimeExtensions,
    connectionStatus,
    disabled: {
      matches: disabled,
      patterns: PageConfig.Extension.disabled.map(val => val.raw)
    },
    deferred: {
      matches: deferred,
      patterns: PageConfig.Extension.deferred.map(val => val.raw)
    },
    availablePlugins: allPlugins
  });
  // Tests (and galata) reach the app through this global.
  window.jupyterapp = lab;
  await lab.start({ ignorePlugins, bubblingKeydown: true });
  await lab.restored;
  // Readiness marker for the browser tests.
  document.body.dataset.labRestored = 'true';
}
