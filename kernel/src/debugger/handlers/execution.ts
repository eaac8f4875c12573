// continue / next / stepIn / stepOut / pause. Replies go out at once; `continued` and `stopped`
// events follow from the target. A `continue` when nothing is paused still succeeds (a duplicate
// continue must never wedge the session).

import type { Handler } from './context';

export const continue_: Handler<'continue'> = async (ctx, args) => {
  const thread = ctx.session.thread(args?.threadId);
  await thread.resume();
  return { allThreadsContinued: ctx.session.allThreads().length === 1 };
};

export const next: Handler<'next'> = async (ctx, args) => {
  await ctx.session.thread(args?.threadId).step('next');
  return {};
};

export const stepIn: Handler<'stepIn'> = async (ctx, args) => {
  await ctx.session.thread(args?.threadId).step('stepIn');
  return {};
};

export const stepOut: Handler<'stepOut'> = async (ctx, args) => {
  await ctx.session.thread(args?.threadId).step('stepOut');
  return {};
};

export const pause: Handler<'pause'> = async (ctx, args) => {
  await ctx.session.thread(args?.threadId).requestPause();
  return {};
};
