// Preload entry for targets on the kernel's own host: `node --import tskernel/agent/register app.js`
// (or `--require`, or the absolute path `%listen` prints), with TSKERNEL_ATTACH_TOKEN set to a
// token the notebook printed. Without the variable it does nothing. Elsewhere, use the
// `@tskernel/agent` package or the file from `tskernel agent-file` (same code, no kernel install).

import { autoAttachFromEnv } from './remote';

autoAttachFromEnv();
