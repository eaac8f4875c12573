// Launches Debian's chromium (never a downloaded browser) through playwright-core, headless,
// with a fresh profile that is deleted when the process exits.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function launch() {
  const base = fs.mkdtempSync(path.join(process.env.E2E_TMP || os.tmpdir(), 'tskernel-chromium-'));
  process.on('exit', () => fs.rmSync(base, { recursive: true, force: true }));
  const profile = path.join(base, 'profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ARGS,
    env: {
      ...process.env,
      HOME: base,
      XDG_CACHE_HOME: path.join(base, 'cache'),
      XDG_CONFIG_HOME: path.join(base, 'config'),
    },
  });
  return context;
}

module.exports = { launch };
