// Notebooks written for tslab, Deno and IJavascript, cell by cell through a real kernel: what each
// idiom shows (MIME types, text/plain, updates), that the type checker accepts them, that the
// kernel's own display survives user code, and that the type report arrives before idle.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KernelClient, type Msg } from '../../helpers/kernelClient';

jest.setTimeout(60000);

let k: KernelClient;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsk-compat-'));
  const pkg = path.join(dir, 'node_modules', 'tiny-fmt');
  fs.mkdirSync(path.join(pkg, 'lib'), { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'tiny-fmt', version: '1.2.0', main: 'index.js', types: 'index.d.ts' }));
  fs.writeFileSync(path.join(pkg, 'index.js'), 'exports.fmt = (n) => "#" + n;\n');
  fs.writeFileSync(path.join(pkg, 'index.d.ts'), 'export declare function fmt(n: number): string;\n');
  fs.writeFileSync(path.join(pkg, 'lib', 'upper.js'), 'module.exports = (s) => s.toUpperCase();\n');
  k = await KernelClient.start({ cwd: dir });
});
afterAll(async () => {
  await k.shutdown();
});

type Run = Awaited<ReturnType<KernelClient['execute']>>;
const of = (r: Run, type: string): Msg[] => r.outputs.filter((m) => m.header.msg_type === type);
const result = (r: Run): Record<string, unknown> | undefined => of(r, 'execute_result')[0]?.content.data;
const displays = (r: Run): Msg[] => r.outputs.filter((m) => m.header.msg_type === 'display_data' || m.header.msg_type === 'update_display_data');

async function ok(code: string): Promise<Run> {
  const r = await k.execute(code);
  expect({ status: r.reply.content.status, stderr: r.stderr, evalue: r.reply.content.evalue }).toEqual({ status: 'ok', stderr: '', evalue: undefined });
  return r;
}

describe('tslab', () => {
  test('import * as tslab: display.html/markdown/png show one type each with readable text/plain', async () => {
    const r = await ok(
      [
        "import * as tslab from 'tslab';",
        "tslab.display.html('<h3>Hello</h3><p>tslab &amp; <b>you</b></p>');",
        "tslab.display.markdown('# Title');",
        'tslab.display.png(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2]));',
      ].join('\n'),
    );
    const d = displays(r).map((m) => m.content.data);
    expect(d[0]).toEqual({ 'text/html': '<h3>Hello</h3><p>tslab &amp; <b>you</b></p>', 'text/plain': 'Hello\ntslab & you' });
    expect(d[1]).toEqual({ 'text/markdown': '# Title', 'text/plain': '# Title' });
    expect(d[2]).toEqual({ 'image/png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2]).toString('base64'), 'text/plain': 'PNG image (6 bytes)' });
  });

  test('newDisplay() updates one output; require("tslab") is the same module; versions name node', async () => {
    // Libraries test `typeof Deno` to pick Deno code paths: no such global until a cell names it.
    expect(result(await ok('typeof (globalThis as any)["De" + "no"]'))).toEqual({ 'text/plain': "'undefined'" });
    const r = await ok(['const d = tslab.newDisplay();', "d.text('step 1');", "d.html('<b>step 2</b>');", "require('tslab').versions.node"].join('\n'));
    const d = displays(r);
    expect(d.map((m) => m.header.msg_type)).toEqual(['display_data', 'update_display_data']);
    expect(d[0].content.transient.display_id).toBeTruthy();
    expect(d[1].content.transient.display_id).toBe(d[0].content.transient.display_id);
    expect(d[1].content.data).toEqual({ 'text/html': '<b>step 2</b>', 'text/plain': 'step 2' });
    expect(result(r)).toEqual({ 'text/plain': `'${process.version}'` });
  });
});

describe('Deno', () => {
  test('tagged templates are results with their MIME type; display raw bundles; $display objects', async () => {
    const html = await ok('const n = 2;\nDeno.jupyter.html`<b>${n * 21}</b>`');
    expect(result(html)).toEqual({ 'text/html': '<b>42</b>', 'text/plain': '42' });
    expect(result(await ok('Deno.jupyter.md`## Notes`'))).toEqual({ 'text/markdown': '## Notes', 'text/plain': '## Notes' });
    expect(result(await ok('Deno.jupyter.svg`<svg><title>dot</title></svg>`'))?.['text/plain']).toBe('SVG image: dot');
    const raw = await ok('await Deno.jupyter.display({ "text/html": "<i>raw</i>", "text/plain": "raw" }, { raw: true });');
    expect(displays(raw)[0].content.data).toEqual({ 'text/html': '<i>raw</i>', 'text/plain': 'raw' });
    const custom = await ok(
      [
        'class Temp { c: number; constructor(c: number) { this.c = c; }',
        '  [Deno.jupyter.$display]() { return { "text/html": `<b>${this.c}°C</b>` }; } }',
        'await Deno.jupyter.display(new Temp(20));',
        'new Temp(21)',
      ].join('\n'),
    );
    expect(displays(custom)[0].content.data['text/html']).toBe('<b>20°C</b>');
    expect(result(custom)?.['text/html']).toBe('<b>21°C</b>');
    expect(result(await ok('(await Deno.jupyter.format(Deno.jupyter.md`x`))["text/markdown"]'))).toEqual({ 'text/plain': "'x'" });
    expect(result(await ok('typeof Deno.version.deno + " " + typeof Deno.version.v8'))).toEqual({ 'text/plain': "'string string'" });
  });

  test('broadcast publishes display and update messages; kernel-owned message types are refused', async () => {
    const r = await ok(
      [
        'await Deno.jupyter.broadcast("display_data", { data: { "text/plain": "v1" }, metadata: {}, transient: { display_id: "bc" } });',
        'await Deno.jupyter.broadcast("update_display_data", { data: { "text/plain": "v2" }, metadata: {}, transient: { display_id: "bc" } });',
      ].join('\n'),
    );
    expect(displays(r).map((m) => [m.header.msg_type, m.content.data['text/plain'], m.content.transient.display_id])).toEqual([
      ['display_data', 'v1', 'bc'],
      ['update_display_data', 'v2', 'bc'],
    ]);
    const bad = await k.execute('await Deno.jupyter.broadcast("execute_reply", { status: "ok" });');
    expect(bad.reply.content.status).toBe('error');
    expect(bad.reply.content.evalue).toMatch(/"execute_reply" is not a message a notebook may publish/);
  });

  test('npm: specifiers load from node_modules with ranges and subpaths; missing ones say what to install where', async () => {
    const r = await ok('import { fmt } from "npm:tiny-fmt@^1.2";\nimport upper from "npm:tiny-fmt@1/lib/upper.js";\nupper(fmt(7) + "a")');
    expect(result(r)).toEqual({ 'text/plain': "'#7A'" });
    const missing = await k.execute('import moment from "npm:moment@2.30";');
    expect(missing.reply.content.status).toBe('error');
    expect(missing.reply.content.evalue).toBe(`Cannot import "npm:moment@2.30": the npm package moment is not installed for this notebook. Run \`npm install moment@2.30\` in ${dir}`);
    const jsr = await k.execute('import { join } from "jsr:@std/path@1";');
    expect(jsr.reply.content.evalue).toMatch(/no jsr: imports\. Run `npx jsr add @std\/path` in .*, then import "@std\/path"/);
    const url = await k.execute('import * as x from "https://deno.land/std/path/mod.ts";');
    expect(url.reply.content.evalue).toMatch(/does not load modules from URLs/);
  });

  test('const { display } = Deno.jupyter shadows the name but keeps display.html; the kernel API keeps working', async () => {
    await ok('const { display } = Deno.jupyter;');
    const r = await ok('display.html("<b>still</b>");\ntypeof display.html');
    expect(result(r)).toEqual({ 'text/plain': "'function'" });
    expect(displays(r)[0].content.data).toEqual({ 'text/html': '<b>still</b>', 'text/plain': 'still' });
    await ok('const display = 5;');
    const after = await ok('tslab.display.text("via tslab");\nawait Deno.jupyter.display(Deno.jupyter.html`<i>deno</i>`);\n$$.html("<b>ijs</b>");');
    expect(displays(after).map((m) => m.content.data['text/plain'])).toEqual(['via tslab', 'deno']);
    expect(result(after)?.['text/html']).toBe('<b>ijs</b>');
    const api = await ok('const { display: d2 } = await import("tskernel/display");\nd2.text("module display"); typeof d2.html');
    expect(result(api)).toEqual({ 'text/plain': "'function'" });
  });
});

describe('IJavascript', () => {
  test('$$.async() keeps the cell running until $$.sendResult; its console output and result come before idle', async () => {
    const r = await ok('$$.async();\nconsole.log("working");\nsetTimeout(() => { console.log("done waiting"); $$.sendResult({ answer: 42 }); }, 100);\n"ignored"');
    expect(r.stdout).toBe('working\ndone waiting\n');
    expect(result(r)).toEqual({ 'text/plain': '{ answer: 42 }' });
  });

  test('$$.done() ends an async cell without a result; $$.sendError ends it with an error', async () => {
    const done = await ok('$$.async();\nsetTimeout(() => { console.log("tick"); $$.done(); }, 50);');
    expect(done.stdout).toBe('tick\n');
    expect(result(done)).toBeUndefined();
    const err = await k.execute('$$.async();\nsetTimeout(() => $$.sendError(new RangeError("too far")), 50);');
    expect(err.reply.content).toMatchObject({ status: 'error', ename: 'RangeError', evalue: 'too far' });
  });

  test('$$.html/svg/mime/json give the result; a later one in the same cell is displayed; _toHtml results render', async () => {
    const r = await ok('$$.html("<b>first</b>");\n$$.mime({ "text/html": "<i>second</i>" });\n123');
    expect(result(r)).toEqual({ 'text/html': '<b>first</b>', 'text/plain': 'first' });
    expect(displays(r).map((m) => m.content.data['text/html'])).toEqual(['<i>second</i>']);
    expect(result(await ok('$$.json({ a: [1] })'))?.['application/json']).toEqual({ a: [1] });
    const custom = await ok('class Pt { x = 3; _toHtml() { return `<b>x=${this.x}</b>`; } }\nnew Pt()');
    expect(result(custom)).toEqual({ 'text/plain': 'Pt { x: 3 }', 'text/html': '<b>x=3</b>' });
    const upd = await ok('const out = $$.display("ijs-out");\nout.text("one");\nout.html("<b>two</b>");');
    expect(displays(upd).map((m) => [m.header.msg_type, m.content.transient.display_id, m.content.data['text/plain']])).toEqual([
      ['display_data', 'ijs-out', 'one'],
      ['update_display_data', 'ijs-out', 'two'],
    ]);
    const mime = await ok('({ _toMime: () => ({ "text/markdown": "**m**", "text/plain": "m" }) })');
    expect(result(mime)).toEqual({ 'text/markdown': '**m**', 'text/plain': 'm' });
  });

  test('an async cell that never calls done can be interrupted, and the next cell runs', async () => {
    const exec = k.run('$$.async();\nconsole.log("holding");');
    await k.waitIopub((m) => m.parent_header.msg_id === exec.msgId && m.header.msg_type === 'stream' && m.content.text === 'holding\n', 10000, 'the cell holding');
    await k.request('control', 'interrupt_request', {});
    const reply = await k.finish(exec);
    expect(reply.content).toMatchObject({ status: 'error', ename: 'KeyboardInterrupt' });
    expect(result(await ok('1 + 1'))).toEqual({ 'text/plain': '2' });
  });
});

describe('types and the type report', () => {
  test('display handles, Deno, $$ and tslab type-check; a type error is reported before idle', async () => {
    // Warm the checker: the first report may take seconds while the service starts.
    await k.execute('const warm: number = 1;');
    const typed = await k.execute(
      [
        "const h = globalThis.display('x', { display_id: 'p' });",
        "h.update('y');",
        "const h2 = tslab.display; h2.text('t');",
        'const b: Deno.jupyter.Displayable = Deno.jupyter.md`ok`;',
        '$$.text("z");',
      ].join('\n'),
    );
    expect(typed.stderr).toBe('');
    // Without a display_id the handle may be undefined: that is still reported.
    const maybe = await k.execute("const h3 = globalThis.display('x');\nh3.update('y');");
    expect(maybe.stderr).toContain('TS18048');
    const bad = await k.execute('const s: number = "tslab";');
    expect(bad.stderr).toContain("Type 'string' is not assignable to type 'number'");
    // The report is in the outputs gathered up to idle (what nbclient saves).
    expect(of(bad, 'stream').some((m) => /TS2322/.test(m.content.text))).toBe(true);
  });

  test('warm checker: a typed cell waits only milliseconds for its report; without a check nothing waits', async () => {
    /** Median time from execute_request to idle over 8 typed cells, and from reply to idle. */
    const measure = async (tag: string): Promise<{ total: number; gap: number }> => {
      const totals: number[] = [];
      const gaps: number[] = [];
      for (let i = 0; i < 8; i++) {
        const t0 = performance.now();
        const exec = k.run(`const ${tag}${i}: number = ${i};\n${tag}${i} * 2`);
        await exec.reply;
        const t1 = performance.now();
        await k.waitIdle(exec.msgId);
        totals.push(performance.now() - t0);
        gaps.push(performance.now() - t1);
      }
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      return { total: median(totals), gap: median(gaps) };
    };
    const checked = await measure('w');
    await k.execute('%typecheck off');
    const unchecked = await measure('o');
    await k.execute('%typecheck warn');
    console.log(
      `typed cell, warm checker: request->idle ${checked.total.toFixed(1)} ms (reply->idle ${checked.gap.toFixed(1)} ms); ` +
        `%typecheck off: ${unchecked.total.toFixed(1)} ms (${unchecked.gap.toFixed(1)} ms)`,
    );
    // The cell waits for the report as soon as it is ready, far from the 3 s bound (the log line
    // has the numbers: tens of milliseconds on a quiet machine, a few hundred on a loaded one).
    expect(checked.total - unchecked.total).toBeLessThan(1000);
    // The reply is not held for a warm checker's report; idle follows the report within milliseconds
    // (never the 3 s bound); without a check, idle follows the reply at once.
    expect(checked.gap).toBeLessThan(1000);
    expect(unchecked.gap).toBeLessThan(50);
  });
});
