// Turns runner output (keyed by execution id) into IOPub messages parented to the request that
// started it: stream, display_data / update_display_data, clear_output, error, comm messages.
// Which request an id belongs to is the OutputRoutes' answer; input requests go to the stdin waiters.

import type { InputWaiters } from '../core/inputWaiters';
import type { Messenger } from '../core/messenger';
import type { OutputRoutes } from '../core/outputRoutes';
import type { OutputSink } from '../runtime/api';
import type { Duplex } from 'node:stream';

export interface OutputSinkDeps {
  messenger: Messenger;
  routes: OutputRoutes;
  input: InputWaiters;
  onRunnerRestart(link: { cdp: Duplex; pid: number }): void;
}

export function createOutputSink(d: OutputSinkDeps): OutputSink {
  const m = d.messenger;
  const parent = (cell: number) => d.routes.parent(cell);
  return {
    stream(cell, name, text) {
      m.publish(parent(cell), 'stream', { name, text });
    },
    display(cell, bundle, displayId, update) {
      const content = { data: bundle.data, metadata: bundle.metadata, transient: displayId ? { display_id: displayId } : {} };
      m.publish(parent(cell), update ? 'update_display_data' : 'display_data', content);
    },
    clear(cell, wait) {
      m.publish(parent(cell), 'clear_output', { wait });
    },
    inputRequest(cell, prompt, password) {
      const req = d.routes.request(cell);
      if (!req) return Promise.reject(new Error('no request to ask input for'));
      return d.input.request(req, prompt, password);
    },
    asyncError(cell, error) {
      m.publish(parent(cell), 'error', error);
    },
    comm(cell, msg) {
      // The runner's comm message minus its routing fields is the IOPub content.
      if (msg.type === 'comm_open') {
        const { type: _t, cell: _c, ...content } = msg;
        m.publish(parent(cell), 'comm_open', content);
      } else if (msg.type === 'comm_msg') {
        const { type: _t, cell: _c, ...content } = msg;
        m.publish(parent(cell), 'comm_msg', content);
      } else {
        const { type: _t, cell: _c, ...content } = msg;
        m.publish(parent(cell), 'comm_close', content);
      }
    },
    runnerRestarted(link) {
      d.onRunnerRestart(link);
    },
  };
}
