// @tskernel/agent ships a hand-written agent/index.d.ts beside a bundle built from kernel/src/agent.
// The types must be the source's (checked at compile time: `npm run typecheck` fails when they
// drift) and the bundle must export exactly the values the declaration file declares.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type * as published from '../../../agent/index';
import type * as source from '../../../kernel/src/agent/index';

/** true when A and B are the same type (not merely assignable one way). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

const sameTypes: [Same<published.AttachOptions, source.AttachOptions>, Same<published.AgentHandle, source.AgentHandle>, Same<typeof published.attach, typeof source.attach>] = [true, true, true];

/** Every value agent/index.d.ts declares (the compiler insists the list is complete and exact). */
const declaredValues: Record<keyof typeof published, true> = { attach: true };

const AGENT_BUNDLE = path.resolve(__dirname, '../../../agent/dist/index.js');

describe('@tskernel/agent published types', () => {
  it('agent/index.d.ts declares the types kernel/src/agent exports', () => {
    expect(sameTypes).toEqual([true, true, true]);
  });

  it('the built bundle exports exactly the declared values', () => {
    // A separate Node, as a user's process would load it; without TSKERNEL_ATTACH_TOKEN it attaches nothing.
    const env = { ...process.env };
    delete env.TSKERNEL_ATTACH_TOKEN;
    const r = spawnSync(process.execPath, ['-e', `const a = require(${JSON.stringify(AGENT_BUNDLE)}); console.log(JSON.stringify(Object.keys(a).sort().map((k) => [k, typeof a[k]])))`], {
      env,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(
      Object.keys(declaredValues)
        .sort()
        .map((k) => [k, 'function']),
    );
  });
});
