// S3: the "Node processes" section (@tskernel/labextension) in the debugger sidebar. A real Node
// HTTP server started with --inspect on a random port is attached from the panel by port, its
// file is opened from Kernel Sources, a gutter breakpoint in the request handler stops a real
// request, the call stack shows the handler, Continue lets the response out, Detach leaves the
// server serving. Also: the extension is loaded, its settings schema is served, and our default
// variable filters reach the debugger's settings.
'use strict';
const assert = require('assert/strict');
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { until, SEL } = require('./lib/lab');

const PLUGIN = '@tskernel/labextension:plugin';
const ROOT = path.resolve(__dirname, '..', '..');

const P = {
  section: '[data-testid="tsk-node-processes"]',
  thread: (id) => `[data-testid="tsk-node-processes"] [data-testid="tsk-thread"][data-thread-id="${id}"]`,
  portInput: '[data-testid="tsk-port-input"]',
  pidInput: '[data-testid="tsk-pid-input"]',
  attachPid: '[data-testid="tsk-attach-pid"]',
  attachPort: '[data-testid="tsk-attach-port"]',
  refresh: '#jp-debugger-sidebar [data-testid="tsk-refresh"]',
  error: '[data-testid="tsk-error"]',
  listen: '[data-testid="tsk-listen"]',
  command: '[data-testid="tsk-listen-command"]',
  token: '[data-testid="tsk-listen-token"]',
  copy: '[data-testid="tsk-copy"]',
};

// The handler's `hits += 1` is line 5.
const SERVER_JS = [
  "'use strict';",
  "const http = require('node:http');",
  'let hits = 0;',
  'function handleRequest(req, res) {',
  '  hits += 1;',
  '  const body = `hello ${hits} ${req.url}`;',
  "  res.setHeader('content-type', 'text/plain');",
  '  res.end(body);',
  '}',
  'const server = http.createServer(handleRequest);',
  "server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));",
  "new (require('node:worker_threads').Worker)('setInterval(() => {}, 1000);', { eval: true }).unref();",
  '',
].join('\n');
const HANDLER_LINE = 5;

/** Starts the server with its inspector on a random port; resolves {child, httpPort, inspectPort, file}. */
async function startServer() {
  const dir = fs.mkdtempSync(path.join(process.env.E2E_TMP || os.tmpdir(), 'tskernel-s3-'));
  const file = path.join(dir, 'server.js');
  fs.writeFileSync(file, SERVER_JS);
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', file], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const ports = await until(
    'the server to listen and its inspector to open',
    () => {
      if (child.exitCode !== null) throw new Error(`server exited: ${err}`);
      const h = /listening (\d+)/.exec(out);
      const i = /Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(err);
      return h && i ? { httpPort: Number(h[1]), inspectPort: Number(i[1]) } : null;
    },
    15000,
  );
  return { child, dir, file, extra: [], ...ports, log: () => ({ out, err }) };
}

function stopServer(s) {
  if (!s) return;
  for (const c of [s.child, ...s.extra]) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(s.dir, { recursive: true, force: true });
}

async function get(port, urlPath, timeoutMs = 20000) {
  const res = await fetch(`http://127.0.0.1:${port}${urlPath}`, { signal: AbortSignal.timeout(timeoutMs) });
  return res.text();
}

async function extensionAndSettings(lab, metrics) {
  // The extension is activated in the page...
  const active = await lab.page.evaluate((id) => {
    const app = window.jupyterapp;
    return !!app && (typeof app.isPluginActivated === 'function' ? app.isPluginActivated(id) : app.hasPlugin(id));
  }, PLUGIN);
  assert.ok(active, `${PLUGIN} is activated`);
  // ...its settings schema is served (this is what the settings editor loads)...
  const s = await lab.api('GET', `/lab/api/settings/${encodeURIComponent(PLUGIN)}`);
  const props = s.schema?.properties || {};
  assert.deepEqual(props.ports?.default, [9229, 9230, 9231], 'ports default');
  assert.deepEqual(props.allowedHosts?.default, [], 'allowedHosts default');
  assert.equal(props.listenAddress?.default, '127.0.0.1', 'listenAddress default');
  assert.equal(props.showForOtherKernels?.default, false, 'showForOtherKernels default');
  // ...and the installer's variable filters are the debugger's defaults for our kernels.
  const dbg = await lab.api('GET', `/lab/api/settings/${encodeURIComponent('@jupyterlab/debugger-extension:main')}`);
  const filters = dbg.schema?.properties?.variableFilters?.default || {};
  assert.ok(Array.isArray(filters.typescript) && filters.typescript.includes('__tskernel_import__'), `variableFilters.typescript: ${JSON.stringify(filters.typescript)}`);
  assert.ok(Array.isArray(filters.javascript) && filters.javascript.includes('require'), `variableFilters.javascript: ${JSON.stringify(filters.javascript)}`);
  metrics.settingsChecked = 1;
}

/** Expands our accordion section if it is collapsed. */
async function openSection(lab) {
  const page = lab.page;
  await page.locator(P.section).waitFor({ state: 'attached', timeout: 15000 });
  const expanded = await page.evaluate((sel) => {
    const el = document.querySelector(sel);
    return !!el && !el.classList.contains('lm-mod-hidden') && el.getBoundingClientRect().height > 40;
  }, P.section);
  if (!expanded) {
    await page.locator('#jp-debugger-sidebar .lm-AccordionPanel-title', { hasText: 'Node processes' }).first().click();
  }
  await page.locator(P.section).waitFor({ state: 'visible' });
}

async function threadState(lab, id) {
  const row = lab.page.locator(P.thread(id));
  if (!(await row.count())) return null;
  return row.first().getAttribute('data-state');
}

async function frames(lab) {
  return lab.page
    .locator(SEL.frame)
    .allInnerTexts()
    .then((ts) => ts.map((t) => t.replace(/\s+/g, ' ').trim()));
}

/** The read-only source editor in the main area (the notebook tab is hidden behind it). */

async function attachScenario(lab, metrics) {
  const server = await startServer();
  try {
    const file = `${lab.name}.ipynb`;
    await lab.createNotebook(file, 'typescript', ["const greeting: string = 'hi';\ndebugger;\ngreeting + '!'"]);
    // The settings decide which inspector ports discovery probes: add the server's.
    await lab.api('PUT', `/lab/api/settings/${encodeURIComponent(PLUGIN)}`, { raw: JSON.stringify({ ports: [9229, server.inspectPort] }) });
    await lab.newPage();
    await lab.open(file);
    await extensionAndSettings(lab, metrics);

    // Before the debugger is on the section says so and attaching is off.
    await lab.openSidebar();
    await openSection(lab);
    await until('attach disabled before the debugger is on', async () => await lab.page.locator(P.attachPort).isDisabled());
    const notice = await lab.page.locator('[data-testid="tsk-notice"]').innerText();
    assert.match(notice, /Turn the debugger on/, `notice before the debugger is on: ${notice}`);

    await lab.enableDebugger();
    await openSection(lab);
    await until('the notebook (thread 1) listed as running', async () => (await threadState(lab, 1)) === 'running', 15000);

    // Discovery lists the server's inspector (one-click Attach there would do the same).
    const inspector = lab.page.locator(`[data-testid="tsk-inspector"][data-port="${server.inspectPort}"]`);
    await until(
      "the server's inspector among the discovered targets",
      async () => {
        if (await inspector.count()) return true;
        await lab.page.locator(P.refresh).click();
        return false;
      },
      15000,
      1000,
    );

    // Attach by port from the panel.
    await lab.page.locator(P.portInput).fill(String(server.inspectPort));
    await until('attach enabled', async () => !(await lab.page.locator(P.attachPort).isDisabled()));
    const t0 = Date.now();
    await lab.page.locator(P.attachPort).click();
    await until(
      'thread 2 (the server) listed as running',
      async () => {
        const err = (
          await lab.page
            .locator(P.error)
            .innerText()
            .catch(() => '')
        ).trim();
        if (err) throw new Error(`panel error: ${err}`);
        return (await threadState(lab, 2)) === 'running';
      },
      20000,
    );
    metrics.attachFromPanelMs = Date.now() - t0;
    const name = await lab.page.locator(P.thread(2)).locator('[data-testid="tsk-name"]').innerText();
    assert.match(name, /server\.js/, `attached target's name: ${name}`);
    await until('the discovered inspector marked attached', async () => inspector.locator('[data-testid="tsk-attach-discovered"]').isDisabled());
    // The server's worker thread is listed under it, without a Detach of its own (it goes with
    // the process). A kernel feature of its own: missing, it is a warning here, not a failure.
    const worker = lab.page.locator('[data-testid="tsk-thread"][data-kind="worker"]').first();
    try {
      await worker.waitFor({ timeout: 10000 });
      assert.equal(await worker.locator('[data-testid="tsk-detach"]').count(), 0, 'no Detach on a worker thread');
      const order = await lab.page.locator('[data-testid="tsk-thread"]').evaluateAll((els) => els.map((e) => e.dataset.kind));
      assert.deepEqual(order.slice(0, 3), ['notebook', 'attached', 'worker'], `rows: ${order}`);
      metrics.workerListed = 1;
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      (metrics.warnings = metrics.warnings || []).push(`the server's worker thread was not listed: ${e.message}`);
    }
    await lab.screenshot('attached');

    // Open server.js from Kernel Sources; breakpoint on `hits += 1` (gutter click in the viewer).
    const editor = await lab.openKernelSource('server.js', 'handleRequest');
    const bpReply = await lab.gutterBreakpoint(editor, HANDLER_LINE, 'server.js');
    assert.ok(bpReply.success, 'setBreakpoints succeeded');
    assert.ok(
      (bpReply.body?.breakpoints || []).some((b) => b.verified && b.line === HANDLER_LINE),
      `breakpoint verified on line ${HANDLER_LINE}: ${JSON.stringify(bpReply.body)}`,
    );
    await lab.screenshot('breakpoint');

    // A real request stops in the handler: thread 2 paused in the panel, call stack shows it.
    const t1 = Date.now();
    const pending = get(server.httpPort, '/first');
    let settled = false;
    pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    await until('thread 2 paused in the panel', async () => (await threadState(lab, 2)) === 'paused', 15000, 25);
    metrics.requestToPausedMs = Date.now() - t1;
    const stack = await until(
      'the handler frame in the call stack',
      async () => {
        const f = await frames(lab);
        return f.length && /^handleRequest\b.*server\.js:5$/.test(f[0]) ? f : null;
      },
      15000,
    );
    assert.match(stack[0], /handleRequest/);
    await lab.page.locator(`${P.thread(2)}.tsk-mod-current`).waitFor({ timeout: 5000 });
    assert.equal(await threadState(lab, 1), 'running', 'the notebook keeps running');
    assert.equal(settled, false, 'the request waits while the server is paused');
    await lab.page.locator(SEL.sourceEditor).locator('.jp-DebuggerEditor-highlight').first().waitFor({ timeout: 10000 });
    await lab.screenshot('paused-in-server');

    // Two paused threads: the notebook stops on `debugger` too and the debugger shows it (the
    // latest stop); selecting the server in the panel brings its call stack back.
    await lab.page.locator('.jp-mod-left .lm-TabBar-tab, #jp-main-dock-panel .lm-TabBar-tab', { hasText: file }).first().click();
    await lab.page.locator(SEL.cell).first().waitFor({ state: 'visible' });
    await lab.runCell(0);
    await until('thread 1 paused and shown', async () => (await threadState(lab, 1)) === 'paused' && (await lab.page.locator(`${P.thread(1)}.tsk-mod-current`).count()) === 1, 15000);
    await until('the cell frame in the call stack', async () => /Cell \[\*\]:2$/.test((await frames(lab))[0] || ''), 10000);
    const t4 = Date.now();
    const shown = async () => /^handleRequest\b/.test((await frames(lab))[0] || '') && (await lab.page.locator(`${P.thread(2)}.tsk-mod-current`).count()) === 1;
    for (let attempt = 0; ; attempt++) {
      await lab.page.locator(P.thread(2)).locator('[data-testid="tsk-select"]').click();
      try {
        await until("the server's frame shown again after selecting it", shown, 5000);
        break;
      } catch (e) {
        if (attempt >= 1) throw e;
        const ds = await lab.page.locator(P.section).evaluate((el) => JSON.stringify(el.dataset));
        (metrics.warnings = metrics.warnings || []).push(`selecting the server took a second click (panel ${ds}; frames ${(await frames(lab)).join(' | ')})`);
      }
    }
    metrics.selectToCallstackMs = Date.now() - t4;
    assert.equal(await lab.page.locator(P.section).getAttribute('data-keeps-selection'), 'true', 'the panel keeps the selected thread across restoreState');
    // JupyterLab re-reads the debugger state when the notebook gets focus; the choice sticks.
    await lab.quietDebugTraffic(500);
    await until('the server still shown', shown, 5000).catch(async (e) => {
      const ds = await lab.page.locator(P.section).evaluate((el) => JSON.stringify(el.dataset));
      throw new Error(`${e.message} (panel ${ds})`);
    });
    await lab.screenshot('two-paused-server-selected');
    await saveDocScreenshot(lab);

    // Continue (the shown thread, the server): the response arrives; the panel then shows the
    // notebook, still paused, and Continue finishes the cell.
    await lab.clickCommand('debugger:continue');
    const body = await pending;
    assert.equal(body, 'hello 1 /first');
    await until('thread 2 running again', async () => (await threadState(lab, 2)) === 'running');
    assert.equal(await threadState(lab, 1), 'paused', 'the notebook is still paused');
    await until('the notebook shown again', async () => /Cell \[\*\]:2$/.test((await frames(lab))[0] || '') && (await lab.page.locator(`${P.thread(1)}.tsk-mod-current`).count()) === 1, 10000);
    await lab.clickCommand('debugger:continue');
    await lab.waitOutput(0, /hi!/);
    await until('thread 1 running again', async () => (await threadState(lab, 1)) === 'running');

    // Detach: the process keeps serving, without stopping.
    const t2 = Date.now();
    await lab.page.locator(P.thread(2)).locator('[data-testid="tsk-detach"]').click();
    await until('thread 2 exited (detached)', async () => (await threadState(lab, 2)) === 'exited', 15000);
    metrics.detachMs = Date.now() - t2;
    assert.equal(await get(server.httpPort, '/after', 5000), 'hello 2 /after');
    assert.equal(server.child.exitCode, null, 'the server is still running');
    await lab.screenshot('detached');
    // The refresh button forgets the detached process.
    await lab.page.locator(P.refresh).click();
    await until('thread 2 gone after refresh', async () => (await lab.page.locator(P.thread(2)).count()) === 0);
    // Listen for agents: a one-time command and token, with a Copy button.
    await lab.page.locator(P.listen).click();
    const cmd = await until('the listen command', async () => {
      const v = await lab.page.locator(P.command).inputValue();
      return /TSKERNEL_ATTACH_TOKEN=tsk1\.[A-Za-z0-9_-]+ node --import /.test(v) ? v : null;
    });
    assert.match(await lab.page.locator(P.token).inputValue(), /^tsk1\./);
    assert.equal(await lab.page.locator(P.command).getAttribute('readonly'), 'true');
    await lab.page.locator(P.copy).click();
    await until('copy feedback', async () => ['true', 'false'].includes(await lab.page.locator(P.copy).getAttribute('data-copied')));
    metrics.listenCommandChars = cmd.length;

    // Run the command: the agent dials back and waits; one click on the discovered entry attaches it.
    const m = /^TSKERNEL_ATTACH_TOKEN=(\S+) node --import (\S+) app\.js$/.exec(cmd.trim());
    assert.ok(m, `command shape: ${cmd}`);
    const agentApp = path.join(server.dir, 'app.js');
    fs.writeFileSync(agentApp, 'setInterval(() => {}, 1000);\n');
    const agent = spawn(process.execPath, ['--import', m[2].replace(/^'|'$/g, ''), agentApp], {
      cwd: server.dir,
      stdio: 'ignore',
      env: { ...process.env, TSKERNEL_ATTACH_TOKEN: m[1] },
    });
    server.extra.push(agent);
    const entry = lab.page.locator(`[data-testid="tsk-agent"][data-pid="${agent.pid}"]`);
    await entry.waitFor({ timeout: 20000 });
    const t3 = Date.now();
    await entry.locator('[data-testid="tsk-attach-discovered"]').click();
    const agentThread = await until(
      'the agent attached as a new thread',
      async () => {
        const rows = lab.page.locator('[data-testid="tsk-thread"][data-kind="attached"][data-state="running"]');
        for (let i = 0; i < (await rows.count()); i++) {
          if ((await rows.nth(i).innerText()).includes(`pid ${agent.pid}`)) return rows.nth(i).getAttribute('data-thread-id');
        }
        return null;
      },
      20000,
    );
    metrics.agentAttachFromPanelMs = Date.now() - t3;
    await lab.screenshot('agent-attached');
    await lab.page.locator(P.thread(agentThread)).locator('[data-testid="tsk-detach"]').click();
    await until('the agent thread exited (detached)', async () => (await threadState(lab, agentThread)) === 'exited', 15000);
    assert.equal(agent.exitCode, null, 'the agent process keeps running after detach');

    // Attach by pid: a plain Node process (no inspector, no agent) from the pid field.
    const plain = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000);'], { cwd: server.dir, stdio: 'ignore' });
    server.extra.push(plain);
    await lab.page.locator(P.pidInput).fill(String(plain.pid));
    const t5 = Date.now();
    await until('attach enabled', async () => !(await lab.page.locator(P.attachPid).isDisabled()));
    await lab.page.locator(P.attachPid).click();
    const pidThread = await until(
      'the process attached by pid',
      async () => {
        const err = (
          await lab.page
            .locator(P.error)
            .innerText()
            .catch(() => '')
        ).trim();
        if (err) throw new Error(`panel error: ${err}`);
        const rows = lab.page.locator('[data-testid="tsk-thread"][data-kind="attached"]');
        for (let i = 0; i < (await rows.count()); i++) {
          const row = rows.nth(i);
          if (!(await row.innerText()).includes(`pid ${plain.pid}`)) continue;
          const state = await row.getAttribute('data-state');
          // Exited right after attaching is a failure (the kernel reported the link closed).
          if (state === 'exited')
            throw new Error(
              `attach by pid ${plain.pid}: thread ${await row.getAttribute('data-thread-id')} exited right away (${(await row.innerText()).replace(/\s+/g, ' ')}; process ${plain.exitCode === null ? 'alive' : `exited ${plain.exitCode}/${plain.signalCode}`})`,
            );
          if (state === 'running') return row.getAttribute('data-thread-id');
        }
        return null;
      },
      30000,
    );
    metrics.pidAttachFromPanelMs = Date.now() - t5;
    await lab.page.locator(P.thread(pidThread)).locator('[data-testid="tsk-detach"]').click();
    await until('the pid thread exited (detached)', async () => (await threadState(lab, pidThread)) === 'exited', 15000);
    assert.equal(plain.exitCode, null, 'the process keeps running after detach');

    await lab.allDebugRequestsAnswered(5000);

    // The settings editor lists our settings.
    await lab.page.evaluate(() => window.jupyterapp.commands.execute('settingeditor:open'));
    await lab.page.locator('.jp-PluginList', { hasText: 'tskernel: Node processes' }).first().waitFor({ timeout: 15000 });
    await lab.page.locator('.jp-PluginList-entry', { hasText: 'tskernel: Node processes' }).first().click();
    await lab.page.getByText('Inspector ports to scan').first().waitFor({ timeout: 15000 });
    await lab.page.getByText('Allowed non-loopback hosts').first().waitFor();
    await lab.screenshot('settings');
  } finally {
    stopServer(server);
  }
}

/** The panel with the server and the notebook paused, for the README (E2E_DOC_SCREENSHOT=1). */
async function saveDocScreenshot(lab) {
  if (process.env.E2E_DOC_SCREENSHOT !== '1') return;
  // A wider sidebar: drag the handle between the main area and the right panel.
  const handle = lab.page.locator('#jp-main-split-panel > .lm-SplitPanel-handle:not(.lm-mod-hidden)').last();
  const box = await handle.boundingBox();
  if (box) {
    await lab.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await lab.page.mouse.down();
    await lab.page.mouse.move(box.x - 160, box.y + box.height / 2, { steps: 5 });
    await lab.page.mouse.up();
  }
  await lab.page.evaluate(() => document.querySelector('.tsk-NodeProcesses-body')?.scrollTo(0, 0));
  await lab.page.screenshot({ path: path.join(ROOT, 'docs', 'screenshot-attach-panel.png') });
}

module.exports = { attachScenario };
