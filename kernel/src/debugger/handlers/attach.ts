// listen / listTargets / attachTarget / detachTarget: the custom requests behind %listen,
// %targets, %attach, %detach and the attach panel. Their arguments are checked against
// attach/attach.schema.json (attach/requestSchema.ts: a refusal is a UserError naming the argument);
// the work is done by the AttachManager.

import { checkAttachArguments, type AttachRequestArguments, type AttachRequestCommand } from '../../attach/requestSchema';
import { UserError } from '../errors';
import type { Handler } from './context';

/** The arguments as the schema accepted them, or the schema's complaint as the request's error. */
function checked<K extends AttachRequestCommand>(command: K, args: unknown): AttachRequestArguments[K] {
  const r = checkAttachArguments(command, args);
  if (!r.ok) throw new UserError(r.message);
  return r.value;
}

export const listen: Handler<'listen'> = async (ctx, args) => ctx.attach.listen(checked('listen', args));

export const listTargets: Handler<'listTargets'> = async (ctx, args) => ctx.attach.listTargets(checked('listTargets', args));

export const attachTarget: Handler<'attachTarget'> = async (ctx, args) => ctx.attach.attachTarget(checked('attachTarget', args));

export const detachTarget: Handler<'detachTarget'> = async (ctx, args) => {
  await ctx.attach.detachTarget(checked('detachTarget', args).threadId);
  return {};
};
