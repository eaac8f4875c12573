// Turns runner output (keyed by execution id) into IOPub messages parented to the request that
// started it: stream, display_data / update_display_data, clear_output, error, comm messages.

import type { KernelCore } from '../core/kernel';
import type { OutputSink } from '../runtime/client';
import type { Duplex } from 'node:stream';

export function createOutputSink(core: KernelCore, onRunnerRestart: (link: { cdp: Duplex; pid: number }) => void): OutputSink {
  const m = core.messenger;
  const parent = (cell: number) => core.cellParent(cell);
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
      const req = core.cellRequest(cell);
      if (!req) return Promise.reject(new Error('no request to ask input for'));
      return core.requestInput(req, prompt, password);
    },
    asyncError(cell, error) {
      m.publish(parent(cell), 'error', error);
    },
    comm(cell, msg) {
      const { type, cell: _c, ...content } = msg;
      m.publish(parent(cell), type, content);
    },
    runnerRestarted(link) {
      onRunnerRestart(link);
    },
  };
}
