// Helpers that drive a real JupyterLab 4.5 page: notebooks over REST, readiness, the debugger
// toggle, gutter breakpoints, running cells, and reading the debugger sidebar. Every wait has a
// deadline and waits for a specific DOM state or message, never a fixed sleep.
'use strict';
const fs = require('fs');
const path = require('path');

const SEL = {
  restored: 'body[data-lab-restored="true"]',
  idle: '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status="idle"]',
  bug: '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-NotebookPanel-toolbar .jp-DebuggerBugButton',
  sidebarTab: '.jp-SideBar li.lm-TabBar-tab[data-id="jp-debugger-sidebar"]',
  sidebar: '#jp-debugger-sidebar',
  cell: '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell',
  breakpointRow: '.jp-DebuggerBreakpoints .jp-DebuggerBreakpoint',
  frame: '.jp-DebuggerCallstack-body .jp-DebuggerCallstackFrame',
  variablesBody: '.jp-DebuggerVariables-body:not(.lm-mod-hidden)',
  breakpointIcon: '.cm-gutter.cm-breakpoint-gutter > .cm-gutterElement:not([style*="visibility: hidden"]) .cm-breakpoint-icon',
  highlight: '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell .jp-DebuggerEditor-highlight',
  // The read-only viewer the debugger opens for a source that is not a cell.
  sourceEditor: '.jp-MainAreaWidget:not(.lm-mod-hidden):not(.jp-NotebookPanel)',
  cmd: id => `#jp-debugger-sidebar jp-button[data-command="${id}"]`,
  pauseOnExceptions: '#jp-debugger-sidebar .jp-debugger-pauseOnExceptions jp-button, #jp-debugger-sidebar .jp-PauseOnExceptions',
  pauseOnExceptionsMenu: '.jp-PauseOnExceptions-menu',
};

// Console messages that are not bugs. With lab/server's /api/me and /api/events stubs on (the
// default) the console is clean; these only match when LAB_API_STUBS=0 (jupyter_server 1.23
// lacks those jupyter_server 2 APIs; lab/server/main.py stubs them).
const BENIGN = [/\/api\/me\b.*404|404.*\/api\/me\b/, /\/api\/events\/subscribe/];

function parseKernelFrame(payload) {
  // Kernel websocket frames: v1.kernel.websocket.jupyter.org (binary) or legacy JSON text.
  try {
    if (typeof payload === 'string') {
      const m = JSON.parse(payload);
      return { channel: m.channel, msg_type: m.header?.msg_type, content: m.content };
    }
    const buf = Buffer.from(payload);
    const n = Number(buf.readBigUInt64LE(0));
    const offsets = [];
    for (let i = 0; i < n; i++) offsets.push(Number(buf.readBigUInt64LE(8 * (i + 1))));
    const part = i => buf.subarray(offsets[i], i + 1 < n ? offsets[i + 1] : buf.length).toString('utf8');
    const header = JSON.parse(part(1));
    return { channel: part(0), msg_type: header.msg_type, content: JSON.parse(part(4)) };
  } catch {
    return null;
  }
}

class Deadline extends Error {}

async function until(what, fn, timeoutMs = 10000, everyMs = 50) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Deadline(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise(r => setTimeout(r, everyMs));
  }
}

class Lab {
  constructor({ context, baseUrl, token, artifacts, name }) {
    this.context = context;
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.token = token;
    this.artifacts = artifacts;
    this.name = name;
    this.errors = [];
    this.dap = []; // {t, dir, kind, name, seq, success, message}
    this.lastDebugTraffic = 0;
    this.shot = 0;
    this.t0 = Date.now();
  }

  // --- REST ---------------------------------------------------------------------------------
  async api(method, urlPath, body) {
    const res = await fetch(`${this.baseUrl}${urlPath}`, {
      method,
      headers: { Authorization: `token ${this.token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${urlPath}: HTTP ${res.status} ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  }

  async createNotebook(file, kernelName, sources) {
    const specs = await this.api('GET', '/api/kernelspecs');
    const spec = specs.kernelspecs[kernelName];
    if (!spec) throw new Error(`kernelspec ${kernelName} not found (have: ${Object.keys(specs.kernelspecs).join(', ')})`);
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: { name: kernelName, display_name: spec.spec.display_name, language: spec.spec.language },
        language_info: { name: spec.spec.language },
      },
      cells: sources.map((src, i) => ({
        cell_type: 'code', id: `cell-${i}`, metadata: {}, execution_count: null, outputs: [], source: src,
      })),
    };
    await this.api('PUT', `/api/contents/${encodeURIComponent(file)}`, { type: 'notebook', format: 'json', content: nb });
    return file;
  }

  async shutdownKernels() {
    for (const s of await this.api('GET', '/api/sessions').catch(() => [])) {
      await this.api('DELETE', `/api/sessions/${s.id}`).catch(() => {});
    }
  }

  // --- page ---------------------------------------------------------------------------------
  async newPage() {
    const page = await this.context.newPage();
    this.page = page;
    page.setDefaultTimeout(15000);
    page.on('console', msg => {
      if (msg.type() === 'error') this.noteError(`console.error: ${msg.text()} @ ${msg.location()?.url ?? ''}`);
      // Two versions of a shared JupyterLab package in the bundled lab (a lockfile that mixes releases).
      else if (msg.type() === 'warning' && /Unsatisfied version/.test(msg.text())) this.noteError(`console.warn: ${msg.text()}`);
    });
    page.on('pageerror', err => this.noteError(`pageerror: ${err.stack || err.message}`));
    page.on('websocket', ws => {
      if (!ws.url().includes('/api/kernels/')) return;
      const note = (dir, frame) => {
        const m = parseKernelFrame(frame.payload);
        if (!m) {
          this.dap.push({ t: Date.now() - this.t0, dir, type: 'unparsed', bytes: frame.payload.length, head: Buffer.from(frame.payload).subarray(0, 200).toString('latin1') });
          return;
        }
        if (!/^debug_/.test(m.msg_type || '')) return;
        this.lastDebugTraffic = Date.now();
        const c = m.content || {};
        this.dap.push({
          t: Date.now() - this.t0, dir, type: m.msg_type,
          name: c.command || c.event, seq: c.seq, request_seq: c.request_seq, success: c.success,
          message: c.success === false ? c.message : undefined,
          body: m.msg_type === 'debug_event' || (c.command && ['stackTrace', 'variables', 'scopes', 'initialize', 'debugInfo', 'modules', 'setBreakpoints', 'setExceptionBreakpoints'].includes(c.command)) ? c.body : undefined,
          arguments: c.arguments,
        });
      };
      ws.on('framesent', f => note('>', f));
      ws.on('framereceived', f => note('<', f));
    });
    return page;
  }

  noteError(text) {
    if (BENIGN.some(re => re.test(text))) return;
    this.errors.push(text);
  }

  workspaceUrl(file) {
    this.workspace = this.workspace || `e2e-${this.name}-${Date.now()}`;
    return `${this.baseUrl}/lab/workspaces/${this.workspace}/tree/${encodeURI(file)}?token=${this.token}`;
  }

  /** Opens the notebook; returns {restoredMs, kernelIdleMs} measured from navigation start. */
  async open(file) {
    const page = this.page || (await this.newPage());
    const t = Date.now();
    await page.goto(this.workspaceUrl(file));
    await page.waitForSelector(SEL.restored, { state: 'attached', timeout: 30000 });
    const restoredMs = Date.now() - t;
    await page.waitForSelector(SEL.cell, { timeout: 20000 });
    await this.waitKernelIdle();
    return { restoredMs, kernelIdleMs: Date.now() - t };
  }

  /** The kernel is connected and idle (the indicator starts as "idle" with no kernel). */
  async waitKernelIdle(timeoutMs = 30000) {
    await this.page.waitForSelector(SEL.idle, { state: 'attached', timeout: timeoutMs });
    await until('kernel info received (debugInfo reply)', () => this.dap.some(d => d.type === 'debug_reply' && d.name === 'debugInfo'), timeoutMs);
  }

  async reload() {
    await this.page.reload();
    await this.page.waitForSelector(SEL.restored, { state: 'attached', timeout: 30000 });
    await this.page.waitForSelector(SEL.cell, { timeout: 20000 });
    await this.page.waitForSelector(SEL.idle, { state: 'attached', timeout: 30000 });
  }

  async screenshot(label) {
    this.shot += 1;
    const file = path.join(this.artifacts, `${this.name}-${String(this.shot).padStart(2, '0')}-${label}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  saveTrace() {
    fs.writeFileSync(path.join(this.artifacts, `${this.name}-dap.json`), JSON.stringify(this.dap, null, 1));
  }

  // --- debugger -----------------------------------------------------------------------------
  async quietDebugTraffic(quietMs = 750, timeoutMs = 15000) {
    await until(`${quietMs} ms without debug_request traffic`, () => Date.now() - this.lastDebugTraffic >= quietMs, timeoutMs, 50);
  }

  /** Every debug_request sent so far gets its debug_reply (within the deadline). */
  async allDebugRequestsAnswered(timeoutMs = 5000, except = []) {
    const pending = () => {
      const replied = new Set(this.dap.filter(d => d.type === 'debug_reply').map(d => `${d.request_seq}:${d.name}`));
      return this.dap.filter(d => d.dir === '>' && d.type === 'debug_request' && !except.includes(d.name) && !replied.has(`${d.seq}:${d.name}`));
    };
    try {
      await until('replies to all debug requests', () => pending().length === 0, timeoutMs);
    } catch {
      const p = pending().map(d => `${d.name} (seq ${d.seq}, sent at +${d.t} ms)`);
      throw new Error(`debug requests without a reply after ${timeoutMs} ms: ${p.join(', ')}`);
    }
  }

  async debuggerOn() {
    return (await this.page.locator(SEL.bug).getAttribute('aria-pressed')) === 'true';
  }

  /** Turns the debugger on; returns {readyMs, onMs}: bug button enabled, then pressed. */
  async enableDebugger() {
    const page = this.page;
    const btn = page.locator(SEL.bug);
    await btn.waitFor({ timeout: 15000 });
    if (await this.debuggerOn()) throw new Error('debugger already on before the toggle (a reused kernel?)');
    // The notebook must be the shell's current widget, or the toggle is ignored.
    await page.locator(SEL.cell).first().locator('.jp-InputPrompt').click();
    // Right after the kernel starts the frontend sends a burst of debugInfo requests while it
    // rewires the button; a click during that burst is lost. Wait for a debugInfo reply and
    // then 750 ms of silence.
    await until('a debugInfo reply', () => this.dap.some(d => d.type === 'debug_reply' && d.name === 'debugInfo'), 20000);
    await this.quietDebugTraffic();
    await until('bug button enabled', async () => (await btn.getAttribute('disabled')) === null && (await btn.getAttribute('aria-disabled')) !== 'true');
    let clicked;
    for (let attempt = 0; ; attempt++) {
      const mark = this.dap.length;
      clicked = Date.now();
      await btn.click();
      try {
        // `initialize` going out proves the click was taken; never click again after that
        // (a second click stops the debugger).
        await until('initialize request after the toggle click', () => this.dap.slice(mark).some(d => d.dir === '>' && d.name === 'initialize'), 2000, 20);
        break;
      } catch (e) {
        if (attempt >= 2) throw new Error(`debugger toggle click not taken after 3 tries: ${e.message}`, { cause: e });
        await this.quietDebugTraffic();
      }
    }
    await page.waitForSelector(`${SEL.bug}[aria-pressed="true"]`, { timeout: 10000 });
    const onMs = Date.now() - clicked;
    await this.openSidebar();
    return { onMs };
  }

  async openSidebar() {
    const tab = this.page.locator(SEL.sidebarTab);
    if (!((await tab.getAttribute('class')) || '').includes('lm-mod-current')) await tab.click();
    await this.page.waitForSelector(SEL.sidebar, { state: 'visible' });
  }

  cell(i) {
    return this.page.locator(SEL.cell).nth(i);
  }

  /** Clicks the breakpoint gutter on a 1-based line of cell i (retries like galata). */
  async toggleBreakpoint(i, line) {
    const cell = this.cell(i);
    const gutter = cell.locator('.cm-gutters > .cm-gutter.cm-breakpoint-gutter > .cm-gutterElement').nth(line);
    for (let attempt = 0; attempt < 3; attempt++) {
      await gutter.click({ position: { x: 5, y: 5 } });
      try {
        await gutter.locator('.cm-breakpoint-icon').waitFor({ timeout: 2000 });
        return;
      } catch {}
    }
    throw new Error(`no breakpoint marker after clicking gutter line ${line} of cell ${i}`);
  }

  async breakpointLines(i) {
    // 1-based lines of the gutter elements that hold a breakpoint marker in cell i.
    return this.cell(i).evaluate(el => {
      // The first gutter element is CodeMirror's invisible spacer (it copies a marker).
      const els = [...el.querySelectorAll('.cm-gutter.cm-breakpoint-gutter > .cm-gutterElement')]
        .filter(g => g.style.visibility !== 'hidden');
      const lines = [...el.querySelectorAll('.cm-content .cm-line')];
      return els
        .filter(g => g.querySelector('.cm-breakpoint-icon'))
        .map(g => {
          const top = g.getBoundingClientRect().top;
          let best = 0, bestD = Infinity;
          lines.forEach((l, k) => { const d = Math.abs(l.getBoundingClientRect().top - top); if (d < bestD) { bestD = d; best = k + 1; } });
          return best;
        });
    });
  }

  /** Focuses cell i and runs it with Ctrl+Enter (Shift+Enter would add a cell). */
  async runCell(i) {
    const editor = this.cell(i).locator('.cm-content');
    await editor.click();
    const t = Date.now();
    await this.page.keyboard.press('Control+Enter');
    return t;
  }

  /** {cell, line} (0-based cell index, 1-based line) of the paused-line highlight, or null. */
  async pausedAt() {
    return this.page.evaluate(sel => {
      const hl = document.querySelector(sel);
      if (!hl) return null;
      const cellEl = hl.closest('.jp-Cell');
      const cells = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')];
      const line = hl.classList.contains('cm-line')
        ? [...hl.parentElement.children].filter(c => c.classList.contains('cm-line')).indexOf(hl) + 1
        : -1;
      return { cell: cells.indexOf(cellEl), line };
    }, SEL.highlight);
  }

  async waitPausedAt(cell, line, timeoutMs = 10000) {
    return until(`paused line highlight at cell ${cell} line ${line}`, async () => {
      const p = await this.pausedAt();
      return p && p.cell === cell && p.line === line ? p : null;
    }, timeoutMs, 20);
  }

  async frames() {
    return this.page.locator(SEL.frame).allInnerTexts().then(ts => ts.map(t => t.replace(/\s+/g, ' ').trim()));
  }

  /** Top-level variables of the visible tree: {name: valueText}. */
  async variables() {
    return this.page.evaluate(sel => {
      const out = {};
      const body = document.querySelector(sel);
      if (!body) return out;
      for (const item of body.querySelectorAll('[role="treeitem"]')) {
        const nameEl = item.querySelector('.jp-DebuggerVariables-name');
        const detailEl = item.querySelector('.jp-DebuggerVariables-detail');
        if (!nameEl) continue;
        const name = nameEl.textContent.replace(/:\s*$/, '').trim();
        if (!(name in out)) out[name] = detailEl ? detailEl.textContent.trim() : '';
      }
      return out;
    }, SEL.variablesBody);
  }

  async waitVariables(expected, timeoutMs = 10000) {
    return until(`variables ${JSON.stringify(expected)}`, async () => {
      const v = await this.variables();
      return Object.entries(expected).every(([k, val]) => v[k] === String(val)) ? v : null;
    }, timeoutMs, 20);
  }

  async clickCommand(id) {
    const btn = this.page.locator(SEL.cmd(id)).first();
    await until(`${id} button enabled`, async () => (await btn.getAttribute('disabled')) === null && (await btn.getAttribute('aria-disabled')) !== 'true');
    const t = Date.now();
    await btn.click();
    return t;
  }

  /**
   * Opens `name` from the debugger's Kernel Sources and returns the read-only viewer showing it
   * (once its text contains `text`). JupyterLab lists modules when the debugger starts; its
   * refresh button asks again, until the file is listed.
   */
  async openKernelSource(name, text, timeoutMs = 15000) {
    const source = this.page.locator('.jp-DebuggerKernelSource-source', { hasText: name }).first();
    await until(
      `${name} in Kernel Sources`,
      async () => {
        if (await source.count()) return true;
        await this.page
          .locator('#jp-debugger-sidebar [title="Refresh kernel sources"]')
          .first()
          .click()
          .catch(() => {});
        return false;
      },
      timeoutMs,
      500,
    );
    const title = this.page.locator('#jp-debugger-sidebar .lm-AccordionPanel-title', { hasText: 'Kernel Sources' }).first();
    if (!(await source.isVisible())) await title.click();
    await source.click();
    const editor = this.page
      .locator(SEL.sourceEditor)
      .filter({ has: this.page.locator('.cm-content', { hasText: text }) })
      .first();
    await editor.waitFor({ timeout: timeoutMs });
    return editor;
  }

  /**
   * Sets a breakpoint by clicking the gutter of a source viewer on `line` (retried until the marker
   * shows) and returns the kernel's reply to the setBreakpoints that click sent for `fileName`.
   */
  async gutterBreakpoint(editor, line, fileName) {
    const gutter = editor.locator('.cm-gutters > .cm-gutter.cm-breakpoint-gutter > .cm-gutterElement').nth(line);
    const mark = this.dap.length;
    for (let attempt = 0; ; attempt++) {
      await gutter.click({ position: { x: 5, y: 5 } });
      try {
        await gutter.locator('.cm-breakpoint-icon').waitFor({ timeout: 2000 });
        break;
      } catch (e) {
        if (attempt >= 2) throw new Error(`no breakpoint marker in ${fileName} line ${line}`, { cause: e });
      }
    }
    return until(`setBreakpoints for ${fileName} answered`, () => {
      const req = this.dap.slice(mark).find((d) => d.dir === '>' && d.name === 'setBreakpoints' && (d.arguments?.source?.path || '').endsWith(fileName));
      return req && this.dap.find((d) => d.dir === '<' && d.type === 'debug_reply' && d.request_seq === req.seq && d.name === 'setBreakpoints');
    });
  }

  async outputText(i) {
    return this.cell(i).locator('.jp-OutputArea-output').allInnerTexts().then(ts => ts.join('\n'));
  }

  async waitOutput(i, re, timeoutMs = 10000) {
    return until(`cell ${i} output matching ${re}`, async () => {
      const t = await this.outputText(i);
      return re.test(t) ? t : null;
    }, timeoutMs);
  }

  /** Selects a pause-on-exception filter from the breakpoints panel's exception menu. */
  async selectExceptionFilter(filter) {
    const page = this.page;
    const btn = page.locator('#jp-debugger-sidebar .jp-debugger-pauseOnExceptions').first();
    await btn.waitFor();
    await until('pause-on-exceptions button enabled', async () => {
      const inner = btn.locator('jp-button, button').first();
      return (await inner.getAttribute('disabled')) === null && (await inner.getAttribute('aria-disabled')) !== 'true';
    });
    await btn.click();
    const menu = page.locator(SEL.pauseOnExceptionsMenu);
    await menu.waitFor({ state: 'visible' });
    const item = menu.locator('.lm-Menu-item', { hasText: new RegExp(`^\\s*${filter}\\s*$`) });
    await item.first().click();
    // The command's isToggled state is what the menu shows on the next open; the request itself
    // is visible as setExceptionBreakpoints with our filter.
    await until(`setExceptionBreakpoints [${filter}] reply`, () => {
      const req = this.dap.find(d => d.dir === '>' && d.name === 'setExceptionBreakpoints' && (d.arguments?.filters || []).includes(filter));
      return req && this.dap.find(d => d.dir === '<' && d.type === 'debug_reply' && d.request_seq === req.seq && d.name === 'setExceptionBreakpoints');
    });
  }
}

module.exports = { Lab, SEL, until, Deadline };
