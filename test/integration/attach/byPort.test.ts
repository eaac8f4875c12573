// Attach by port: a real server started with --inspect=127.0.0.1:0; /json/list, WebSocket, a CDP
// Runtime.evaluate round trip. Non-loopback hosts are refused without the opt-in.
jest.setTimeout(60000);

import { connectInspector } from '../../../kernel/src/targets/inspectorWebSocket';
import { NonLoopbackError } from '../../../kernel/src/attach/loopback';
import { CdpClient } from '../../../kernel/src/targets/cdpClient';
import { startTarget, type Target } from './attachHelpers';

describe('attach by port', () => {
  let target: Target;
  let inspectorPort: number;

  beforeAll(async () => {
    target = await startTarget(['--inspect=127.0.0.1:0']);
    inspectorPort = Number((await target.waitForStderr(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//))[1]);
  });
  afterAll(() => target.kill());

  it('evaluates in the target over the inspector WebSocket', async () => {
    const t0 = performance.now();
    const conn = await connectInspector({ port: inspectorPort });
    const cdp = new CdpClient(conn.transport);
    const r = await cdp.send('Runtime.evaluate', { expression: 'answer + 1' });
    const ms = performance.now() - t0;
    console.log(`attach by port: connect + first evaluate ${ms.toFixed(1)} ms`);
    expect(r.result.value).toBe(43);
    expect(conn.warning).toBeUndefined();
    expect(conn.endpoint.webSocketDebuggerUrl.startsWith(`ws://127.0.0.1:${inspectorPort}/`)).toBe(true);
    cdp.close();
    await conn.transport.closedFully();
    expect(await target.get()).toMatch(/^ok /);
  });

  it('refuses a non-loopback host unless opted in', async () => {
    await expect(connectInspector({ host: '192.0.2.1', port: inspectorPort })).rejects.toThrow(NonLoopbackError);
    await expect(connectInspector({ host: '192.0.2.1', port: inspectorPort })).rejects.toThrow(/not a loopback address/);
  });

  it('says clearly when nothing listens on the port', async () => {
    await expect(connectInspector({ port: target.httpPort + 0 === inspectorPort ? 1 : target.httpPort })).rejects.toThrow(/not a Node inspector|lists no/);
    await expect(connectInspector({ port: 1 })).rejects.toThrow(/no inspector on 127\.0\.0\.1:1 \(connection refused\)/);
  });
});
