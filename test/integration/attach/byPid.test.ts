// Attach by pid: SIGUSR1 opens the target's inspector (on a random port: --inspect-port=0, so the
// test never competes for 9229), the agent is injected and dials back, the inspector port is
// closed again (connection refused), and CDP continues over the agent link.
jest.setTimeout(60000);

import { spawn } from 'node:child_process';
import { attachByPid } from '../../../kernel/src/attach/byPid';
import { listInspectorTargets } from '../../../kernel/src/targets/inspectorWebSocket';
import { AttachListener } from '../../../kernel/src/attach/listener';
import { CdpClient } from '../../../kernel/src/targets/cdpClient';
import { startTarget } from './attachHelpers';
import { CRASH_WINDOW_MS, endedWithin } from '../../fixtures/stressServer.cjs';

describe('attach by pid', () => {
  let listener: AttachListener;
  beforeAll(async () => {
    listener = await AttachListener.listen();
  });
  afterAll(() => listener.close());

  it('injects the agent, closes the inspector port, and keeps CDP over the agent', async () => {
    const target = await startTarget(['--inspect-port=0']);
    try {
      const result = await attachByPid({ listener, pid: target.child.pid! });
      console.log(`attach by pid: ${result.elapsedMs} ms (inspector port ${result.inspectorPort})`);
      expect(result.inspectorWasOpen).toBe(false);
      expect(result.inspectorClosed).toBe(true);
      await expect(listInspectorTargets('127.0.0.1', result.inspectorPort, 1000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      expect(result.agent.info.pid).toBe(target.child.pid);
      const cdp = new CdpClient(result.agent.link);
      const r = await cdp.send('Runtime.evaluate', { expression: 'answer * 2' });
      expect(r.result.value).toBe(84);
      cdp.close();
      await target.waitForStderr(/detached: /);
      expect(await target.get()).toMatch(/^ok /);
    } finally {
      await target.kill();
    }
  });

  it('refuses a process that is not Node, and leaves it running', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await expect(attachByPid({ listener, pid: sleeper.pid!, timeoutMs: 2000 })).rejects.toThrow(/not a Node\.js process/);
      expect(sleeper.exitCode).toBeNull();
      expect(() => process.kill(sleeper.pid!, 0)).not.toThrow();
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('says why when the pid does not exist', async () => {
    await expect(attachByPid({ listener, pid: 2 ** 22 + 17 })).rejects.toThrow(/no such process/);
  });

  // Five fresh targets: the no-agent close once crashed one target in forty (the long run is
  // bench/stress-attach-pid.mjs).
  it('says why when the target cannot load the agent, closes the port, and the target lives on', async () => {
    for (let i = 0; i < 5; i++) {
      const target = await startTarget(['--inspect-port=0']);
      try {
        const err = await attachByPid({ listener, pid: target.child.pid!, agentPath: '/nonexistent/agent.js' }).catch((e: Error) => e);
        expect((err as Error).message).toMatch(/could not load the agent from \/nonexistent\/agent\.js/);
        expect(await endedWithin(target.child, CRASH_WINDOW_MS)).toBeUndefined();
        const port = Number((await target.waitForStderr(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//))[1]);
        await expect(listInspectorTargets('127.0.0.1', port, 1000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
        expect(await target.get()).toMatch(/^ok /);
      } finally {
        await target.kill();
      }
    }
  });
});
