// The remote debug agent's entry: `tskernel/agent` in this package, and the whole of the separate
// `@tskernel/agent` package and the single-file `tskernel-agent.cjs` (both bundled from here by
// scripts/build-agent.mjs). `require(...).attach(token)` attaches like a set_trace; preloading it
// (`node --import @tskernel/agent app.js`, `--require`, NODE_OPTIONS) attaches from
// TSKERNEL_ATTACH_TOKEN, and does nothing without it.

import { autoAttachFromEnv } from './remote';

export { attach, type AgentHandle, type AttachOptions } from './remote';

autoAttachFromEnv();
