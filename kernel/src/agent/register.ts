// Preload entry for targets: `node --import tskernel/agent/register app.js` or `--require`, with
// TSKERNEL_ATTACH_TOKEN set to a token the notebook printed (`%listen`). Without the variable it
// does nothing.

import { autoAttachFromEnv } from './remote';

autoAttachFromEnv();
