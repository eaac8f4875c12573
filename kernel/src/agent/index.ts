// `tskernel/agent`: the remote debug agent. `require('tskernel/agent').attach(token)` attaches
// like a set_trace; loading it with `node --import tskernel/agent` (or `-r`) attaches from
// TSKERNEL_ATTACH_TOKEN.

import { autoAttachFromEnv } from './remote';

export { attach, type AgentHandle, type AttachOptions } from './remote';

autoAttachFromEnv();
