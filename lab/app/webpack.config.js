// Builds the JupyterLab 4.5 frontend from npm packages (modelled on JupyterLab's
// examples/federated/core_package and dev_mode). Output: ./static (bundle, schemas, themes).
// NODE_ENV=production gives a minified build without source maps.
const path = require('path');
const fs = require('fs-extra');
const Handlebars = require('handlebars');
const webpack = require('webpack');
const merge = require('webpack-merge').default;
const { Build } = require('@jupyterlab/builder');
const baseConfig = require('@jupyterlab/builder/lib/webpack.config.base');

const { ModuleFederationPlugin } = webpack.container;
const packageData = require('./package.json');
const jlab = packageData.jupyterlab;
const production = process.env.NODE_ENV === 'production';

// Some packages (@codemirror/*, @lezer/*) do not export ./package.json, so look it up on disk:
// the app's own node_modules first, then the workspace root's (npm hoists there).
function pkgJson(name) {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', name, 'package.json');
    if (fs.existsSync(file)) {
      return fs.readJSONSync(file);
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`package ${name} is not installed`);
    }
  }
}
function installed(name) {
  try {
    return pkgJson(name).version;
  } catch {
    return null;
  }
}

// 1. Entry points of the bundled extensions.
const extensions = {};
const mimeExtensions = {};
for (const name of [...jlab.extensions, ...jlab.mimeExtensions]) {
  const { extension, mimeExtension } = pkgJson(name).jupyterlab;
  if (extension !== undefined && jlab.extensions.includes(name)) {
    extensions[name] = extension === true ? '' : extension;
  }
  if (mimeExtension !== undefined) {
    mimeExtensions[name] = mimeExtension === true ? '' : mimeExtension;
  }
}

const buildDir = path.resolve(__dirname, jlab.buildDir);
const outputDir = path.resolve(__dirname, jlab.outputDir);
fs.emptyDirSync(buildDir);
fs.emptyDirSync(outputDir);

// 2. Schemas, themes and style.js for every extension.
const assetConfig = Build.ensureAssets({
  packageNames: [...jlab.extensions, ...jlab.mimeExtensions],
  output: buildDir,
  schemaOutput: outputDir,
  themeOutput: outputDir
});

// 3. The entry module and the bootstrap.
Handlebars.registerHelper('json', value => JSON.stringify(value));
const template = Handlebars.compile(fs.readFileSync(path.join(__dirname, 'index.template.js'), 'utf8'));
fs.writeFileSync(
  path.join(buildDir, 'index.out.js'),
  template({ extensions, mimeExtensions, disabledExtensions: jlab.disabledExtensions || [] })
);
fs.copySync(path.join(__dirname, 'bootstrap.js'), path.join(buildDir, 'bootstrap.js'));

// 4. Module federation: what prebuilt extensions may share with the core.
function createShared() {
  const shared = {};
  for (const name of Object.keys(packageData.dependencies)) {
    shared[name] = { requiredVersion: `^${installed(name)}` };
  }
  for (const name of [...jlab.extensions, ...jlab.mimeExtensions]) {
    const { dependencies = {}, jupyterlab: { sharedPackages = {} } = {} } = pkgJson(name);
    for (const [dep, requiredVersion] of Object.entries(dependencies)) {
      if (!shared[dep]) {
        shared[dep] = { requiredVersion };
      }
    }
    for (const [dep, config] of Object.entries(sharedPackages)) {
      if (config === false) {
        delete shared[dep];
      } else if (!shared[dep] || shared[dep].import === false) {
        const c = { ...config };
        if ('bundled' in c) {
          c.import = c.bundled;
          delete c.bundled;
        }
        shared[dep] = c;
      }
    }
  }
  for (const name of jlab.singletonPackages) {
    const version = installed(name);
    if (!version) {
      continue;
    }
    shared[name] = { requiredVersion: `^${version}`, ...(shared[name] || {}), singleton: true, version };
  }
  return shared;
}

module.exports = [
  merge(baseConfig, {
    mode: production ? 'production' : 'development',
    devtool: production ? false : 'source-map',
    entry: [path.join(__dirname, 'publicpath.js'), path.join(buildDir, 'bootstrap.js')],
    output: {
      path: outputDir,
      library: { type: 'var', name: ['_JUPYTERLAB', 'CORE_OUTPUT'] },
      filename: 'bundle.js',
      publicPath: 'auto'
    },
    optimization: {
      splitChunks: {
        chunks: 'all',
        cacheGroups: {
          jlab_core: {
            test: /[\\/]node_modules[\\/]@(jupyterlab|lumino)[\\/]/,
            name: 'jlab_core'
          }
        }
      }
    },
    plugins: [
      new ModuleFederationPlugin({
        library: { type: 'var', name: ['_JUPYTERLAB', 'CORE_LIBRARY_FEDERATION'] },
        name: 'CORE_FEDERATION',
        shared: createShared()
      })
    ]
  })
].concat(assetConfig);
