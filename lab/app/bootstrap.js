// Loads the prebuilt (federated) labextensions listed in the page config, initialises module
// sharing with them, and only then imports the app entry (index.out.js) and starts it.
/* global __webpack_init_sharing__ __webpack_share_scopes__ */

let configData = null;
function getOption(name) {
  if (configData === null) {
    const el = document.getElementById('jupyter-config-data');
    configData = el ? JSON.parse(el.textContent || '{}') : {};
  }
  return configData[name] || '';
}

function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.onerror = reject;
    script.onload = resolve;
    script.async = true;
    document.head.appendChild(script);
    script.src = url;
  });
}

async function loadComponent(url, scope) {
  await loadScript(url);
  await __webpack_init_sharing__('default');
  const container = window._JUPYTERLAB[scope];
  await container.init(__webpack_share_scopes__.default);
}

void (async function bootstrap() {
  const extensionData = getOption('federated_extensions') || [];
  const labextensionsUrl = getOption('fullLabextensionsUrl');
  const results = await Promise.allSettled(
    extensionData.map(data => loadComponent(`${labextensionsUrl}/${data.name}/${data.load}`, data.name))
  );
  for (const r of results) {
    if (r.status === 'rejected') {
      console.error(r.reason);
    }
  }
  const { main } = await import('./index.out.js');
  await main();
})();
