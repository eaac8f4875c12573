// S5: debugging an imported local TypeScript module. The notebook imports `./<name>-geom.ts`;
// Kernel Sources lists it, the source viewer shows it as written (type annotations included, not
// the type-stripped code Node runs), a gutter breakpoint there is verified on the right line, the
// next call stops on it with the module's frame and arguments, and Continue finishes the cell.
'use strict';
const assert = require('assert/strict');
const { until, SEL } = require('./lib/lab');

// Line 2 is `const area: number = w * h;`.
const GEOM_TS = ['export function scaled(w: number, h: number, k: number): number {', '  const area: number = w * h;', '  return area * k;', '}', ''].join('\n');
const BREAK_LINE = 2;

async function importedTs(lab, metrics) {
  const file = `${lab.name}.ipynb`;
  const moduleFile = `${lab.name}-geom.ts`;
  await lab.api('PUT', `/api/contents/${encodeURIComponent(moduleFile)}`, { type: 'file', format: 'text', content: GEOM_TS });
  await lab.createNotebook(file, 'typescript', [`import { scaled } from './${moduleFile}';\nscaled(2, 3, 4);`]);
  await lab.newPage();
  await lab.open(file);
  await lab.enableDebugger();

  // The first run loads the module, so the kernel lists it among its sources.
  await lab.runCell(0);
  await lab.waitOutput(0, /^24$/m);

  const t0 = Date.now();
  const editor = await lab.openKernelSource(moduleFile, 'scaled');
  // Shown as written: the annotations are there, exactly the file's text.
  const shown = await until('the module text in the viewer', async () => {
    const lines = await editor.locator('.cm-content .cm-line').allInnerTexts();
    return lines.length >= 3 ? lines : null;
  });
  metrics.openSourceMs = Date.now() - t0;
  assert.deepEqual(shown.slice(0, 4), GEOM_TS.split('\n').slice(0, 4), `viewer text: ${JSON.stringify(shown)}`);
  await lab.screenshot('module-as-written');

  // A gutter breakpoint on line 2 of the module, verified there.
  const bpReply = await lab.gutterBreakpoint(editor, BREAK_LINE, moduleFile);
  assert.ok(bpReply.success, 'setBreakpoints succeeded');
  assert.ok(
    (bpReply.body?.breakpoints || []).some((b) => b.verified && b.line === BREAK_LINE),
    `breakpoint verified on line ${BREAK_LINE}: ${JSON.stringify(bpReply.body)}`,
  );

  // The next call stops in the module, on that line, with its arguments.
  await lab.page.locator('.jp-mod-left .lm-TabBar-tab, #jp-main-dock-panel .lm-TabBar-tab', { hasText: file }).first().click();
  const runAt = await lab.runCell(0);
  const frames = await until(
    'the module frame on top of the call stack',
    async () => {
      const f = await lab.frames();
      return f.length && new RegExp(`^scaled\\b.*${moduleFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${BREAK_LINE}$`).test(f[0]) ? f : null;
    },
    15000,
  );
  metrics.runToPausedMs = Date.now() - runAt;
  assert.ok(
    frames.some((f) => /Cell \[\*\]:2$/.test(f)),
    `the calling cell in the stack: ${frames.join(' | ')}`,
  );
  await lab.waitVariables({ w: 2, h: 3, k: 4 });
  await lab.page.locator(SEL.sourceEditor).locator('.jp-DebuggerEditor-highlight').first().waitFor({ timeout: 10000 });
  await lab.screenshot('paused-in-module');

  // Next: line 3, area is 6. Continue: the cell prints its result.
  await lab.clickCommand('debugger:next');
  await lab.waitVariables({ w: 2, h: 3, k: 4, area: 6 });
  await lab.clickCommand('debugger:continue');
  await lab.page.locator('.jp-mod-left .lm-TabBar-tab, #jp-main-dock-panel .lm-TabBar-tab', { hasText: file }).first().click();
  await until('the second run finished', async () => (await lab.page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell >> nth=0 >> .jp-InputPrompt').innerText()).includes('[2]'), 10000);
  await lab.waitOutput(0, /^24$/m);
  await lab.allDebugRequestsAnswered();
}

module.exports = { importedTs };
