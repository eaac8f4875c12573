// A stand-in for the kernel's runner process in debugger integration tests: starts the debug agent
// on fd 4 exactly like the real runner, exposes the runner contract the debugger relies on
// (globalThis[Symbol.for('tskernel.runner')] with mimeBundle / userGlobalNames; rich values by the runner's own
// `Symbol.for('Jupyter.display')` convention), and runs vm
// scripts under cell filenames on command (NDJSON over fd 3), catching errors like the runner does.
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const vm = require('node:vm');
const path = require('node:path');
const util = require('node:util');

const agentDir = process.argv[2];
require(path.join(agentDir, 'runnerAgent.js')).startRunnerAgent(4, { hiddenPaths: [__filename] });

const baseline = new Set(Object.getOwnPropertyNames(globalThis));
globalThis[Symbol.for('tskernel.runner')] = {
  userGlobalNames() {
    return Object.getOwnPropertyNames(globalThis).filter((n) => !baseline.has(n));
  },
  mimeBundle(value) {
    const data = { 'text/plain': typeof value === 'string' ? `'${value}'` : util.inspect(value) };
    if (value && typeof value === 'object' && typeof value[Symbol.for('Jupyter.display')] === 'function') Object.assign(data, value[Symbol.for('Jupyter.display')]());
    return { data, metadata: {} };
  },
};
baseline.add('require');
globalThis.require = require;

const control = new net.Socket({ fd: 3, readable: true, writable: true });
const send = (m) => control.write(JSON.stringify(m) + '\n');
let buf = '';
control.on('data', (chunk) => {
  buf += chunk;
  let i;
  while ((i = buf.indexOf('\n')) >= 0) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    if (line) handle(JSON.parse(line));
  }
});

async function handle(msg) {
  if (msg.type === 'run') {
    try {
      let value = new vm.Script(msg.code, { filename: msg.filename }).runInThisContext({ breakOnSigint: true });
      if (value && typeof value.then === 'function') value = await value;
      send({ id: msg.id, ok: true, value: typeof value === 'object' ? util.inspect(value) : value });
    } catch (e) {
      send({ id: msg.id, ok: false, error: String(e && e.message) });
    }
  } else if (msg.type === 'exit') {
    process.exit(0);
  }
}
process.on('SIGINT', () => {});
send({ ready: true, pid: process.pid });
void fs;
