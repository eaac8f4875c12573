// Sets webpack's public path from the page config before anything else loads.
const el = document.getElementById('jupyter-config-data');
const config = el ? JSON.parse(el.textContent || '{}') : {};
// eslint-disable-next-line no-undef
__webpack_public_path__ = (config.fullStaticUrl || '') + '/';
