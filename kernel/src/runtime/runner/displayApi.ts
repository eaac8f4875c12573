// `tskernel/display`: the display function for modules imported by notebook cells. Inside a
// runner it is the runner's own `display`; elsewhere it throws a clear error when called.

import type { DisplayFunction } from './display';

const runner = (globalThis as Record<symbol, { display?: DisplayFunction } | undefined>)[Symbol.for('tskernel.runner')];

function notInKernel(): never {
  throw new Error('tskernel/display only works inside a tskernel notebook');
}

export const display: DisplayFunction = runner?.display ?? (notInKernel as unknown as DisplayFunction);
export default display;
