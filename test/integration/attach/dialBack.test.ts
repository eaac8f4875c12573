// Agent dial-back: `node --import …/register.js server.js` (and --require) with a token from the
// listener → authenticated TLS link → CDP Runtime.evaluate returns the server's value; output is
// forwarded, also from code the kernel runs before the target's main thread has heard that the
// link is up; killing the link while the server is paused resumes it (a pending request completes).
jest.setTimeout(60000);

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Protocol from 'devtools-protocol';
import { AttachListener } from '../../../kernel/src/attach/listener';
import { RemoteTarget } from '../../../kernel/src/targets/remoteTarget';
import { CdpClient } from '../../../kernel/src/targets/cdpClient';
import { REGISTER_JS, startTarget, tempDir } from './attachHelpers';

/** `p`, or what was not forwarded once 10 s have passed. */
function within(p: Promise<string>): Promise<string> {
  return Promise.race([p, new Promise<string>((resolve) => setTimeout(() => resolve('not forwarded within 10 s'), 10000).unref())]);
}

describe('agent dial-back', () => {
  let listener: AttachListener;
  beforeAll(async () => {
    listener = await AttachListener.listen();
  });
  afterAll(() => listener.close());

  it.each([['--import'], ['--require']])('attaches with %s and evaluates in the target', async (flag) => {
    const { token, id } = listener.issueToken();
    const t0 = performance.now();
    const waiting = listener.waitForAgent(id, 15000);
    const target = await startTarget([flag, REGISTER_JS], { TSKERNEL_ATTACH_TOKEN: token });
    try {
      const agent = await waiting;
      const remote = new RemoteTarget(agent.link, { threadId: 2, name: agent.info.title, pid: agent.info.pid, expectHello: true, onThisHost: true });
      await remote.ready();
      const r = await remote.cdp.send('Runtime.evaluate', { expression: 'answer' });
      console.log(`attach by agent (${flag}): ${(performance.now() - t0).toFixed(0)} ms from spawn to first evaluate`);
      expect(r.result.value).toBe(42);
      expect(agent.info.pid).toBe(target.child.pid);
      expect(remote.hiddenPaths().some((p) => p.endsWith('/kernel/dist/'))).toBe(true);
      // Output of the target reaches the notebook side.
      const seen = new Promise<string>((resolve) => agent.link.onOutput((o) => o.text.includes('hello from target') && resolve(o.stream)));
      await remote.cdp.send('Runtime.evaluate', { expression: 'console.log("hello from target")' });
      expect(await within(seen)).toBe('stdout');
      remote.close();
      await target.waitForStderr(/detached: /);
      expect(await target.get()).toMatch(/^ok /);
    } finally {
      await target.kill();
    }
  });

  it("forwards the output of code evaluated while the target's main thread is still busy", async () => {
    // The link comes up while the main thread runs a 4 s loop, so the thread cannot run any task
    // of its own (such as hearing from the agent worker that the link is up) until the loop ends;
    // the kernel's evaluation still runs inside the loop, through the inspector.
    const { token, id } = listener.issueToken();
    const waiting = listener.waitForAgent(id, 15000);
    const dir = tempDir();
    const script = path.join(dir, 'busy.js');
    fs.writeFileSync(script, 'globalThis.busyUntil = Date.now() + 4000;\nwhile (Date.now() < globalThis.busyUntil) {}\nsetTimeout(() => {}, 60000);\n');
    const child = spawn(process.execPath, ['--require', REGISTER_JS, script], { cwd: dir, env: { ...process.env, TSKERNEL_ATTACH_TOKEN: token }, stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      const agent = await waiting;
      const remote = new RemoteTarget(agent.link, { threadId: 2, name: agent.info.title, pid: agent.info.pid, expectHello: true, onThisHost: true });
      await remote.ready();
      const seen = new Promise<string>((resolve) => agent.link.onOutput((o) => o.text.includes('said while busy') && resolve(o.stream)));
      const r = await remote.cdp.send('Runtime.evaluate', { expression: 'console.log("said while busy"), Date.now() < globalThis.busyUntil' });
      // Evaluated inside the loop: otherwise this run proves nothing (the machine took > 4 s to link).
      expect(r.result.value).toBe(true);
      expect(await within(seen)).toBe('stdout');
      remote.close();
    } finally {
      child.kill('SIGKILL');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resumes a paused target when the link is killed', async () => {
    const { token, id } = listener.issueToken();
    const waiting = listener.waitForAgent(id, 15000);
    const target = await startTarget(['--import', REGISTER_JS], { TSKERNEL_ATTACH_TOKEN: token });
    try {
      const agent = await waiting;
      const cdp = new CdpClient(agent.link);
      await cdp.send('Runtime.enable');
      await cdp.send('Debugger.enable');
      // A breakpoint that would stop every request, plus an explicit pause request.
      await cdp.send('Debugger.setBreakpointByUrl', { urlRegex: 'server\\.js$', lineNumber: 5 });
      const paused = new Promise<Protocol.Debugger.PausedEvent>((resolve) => cdp.on('Debugger.paused', resolve));
      await cdp.send('Debugger.pause');
      let answered = false;
      const pending = target.get('/', 20000).then((body) => ((answered = true), body));
      const event = await paused;
      expect(event.callFrames.length).toBeGreaterThan(0);
      expect(answered).toBe(false);
      // Kill the link from the kernel side, as a closed notebook would.
      agent.link.close('test killed the link');
      expect(await pending).toMatch(/^ok /);
      await target.waitForStderr(/detached: /);
      // The breakpoint is gone too: the next request is answered at once.
      expect(await target.get('/', 5000)).toMatch(/^ok /);
      expect(target.alive()).toBe(true);
    } finally {
      await target.kill();
    }
  });
});
