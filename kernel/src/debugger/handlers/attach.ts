// listen / listTargets / attachTarget / detachTarget: the custom requests behind %listen,
// %targets, %attach, %detach and the attach panel. Arguments are checked against the shapes in
// schema/attach.schema.json; the work is done by the AttachManager.

import { requireObject, UserError } from '../errors';
import type { AttachTargetArguments, ListenArguments, ListTargetsArguments } from '../attach/types';
import type { Handler } from './context';

function optional<T>(o: Record<string, unknown>, key: string, type: 'string' | 'number' | 'boolean'): T | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== type || (type === 'number' && !Number.isInteger(v))) throw new UserError(`'${key}' must be ${type === 'number' ? 'an integer' : `a ${type}`}`);
  return v as T;
}

function port(v: number | undefined, key: string, min = 1): number | undefined {
  if (v !== undefined && (v < min || v > 65535)) throw new UserError(`'${key}' must be a port number (${min}-65535)`);
  return v;
}

function portList(o: Record<string, unknown>, key: string, max: number): number[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > max || v.some((p) => typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535)) {
    throw new UserError(`'${key}' must be a list of at most ${max} port numbers`);
  }
  return v as number[];
}

export const listen: Handler<'listen'> = async (ctx, args) => {
  const o = (args ?? {}) as Record<string, unknown>;
  requireObject(o, 'arguments');
  const a: ListenArguments = {
    host: optional(o, 'host', 'string'),
    port: port(optional(o, 'port', 'number'), 'port', 0),
    allowNonLoopback: optional(o, 'allowNonLoopback', 'boolean'),
    advertiseHost: optional(o, 'advertiseHost', 'string'),
    tokenTtlSeconds: optional(o, 'tokenTtlSeconds', 'number'),
    stop: optional(o, 'stop', 'boolean'),
  };
  if (a.tokenTtlSeconds !== undefined && (a.tokenTtlSeconds < 10 || a.tokenTtlSeconds > 86400)) throw new UserError("'tokenTtlSeconds' must be between 10 and 86400");
  return ctx.attach.listen(a);
};

export const listTargets: Handler<'listTargets'> = async (ctx, args) => {
  const o = (args ?? {}) as Record<string, unknown>;
  requireObject(o, 'arguments');
  const a: ListTargetsArguments = { ports: portList(o, 'ports', 64), scanProcesses: optional(o, 'scanProcesses', 'boolean') };
  return ctx.attach.listTargets(a);
};

export const attachTarget: Handler<'attachTarget'> = async (ctx, args) => {
  const o = requireObject<Record<string, unknown>>(args, 'arguments');
  const ways = ['port', 'pid', 'agentId'].filter((k) => o[k] !== undefined);
  if (ways.length !== 1) throw new UserError('attachTarget takes exactly one of port, pid or agentId');
  let a: AttachTargetArguments;
  if (ways[0] === 'port') {
    a = {
      port: port(optional<number>(o, 'port', 'number'), 'port')!,
      host: optional(o, 'host', 'string'),
      allowNonLoopback: optional(o, 'allowNonLoopback', 'boolean'),
      targetId: optional(o, 'targetId', 'string'),
    };
  } else if (ways[0] === 'pid') {
    const pid = optional<number>(o, 'pid', 'number')!;
    if (pid < 1) throw new UserError("'pid' must be a positive integer");
    a = { pid, inspectorPorts: portList(o, 'inspectorPorts', 16) };
  } else {
    a = { agentId: optional<string>(o, 'agentId', 'string')! };
  }
  return ctx.attach.attachTarget(a);
};

export const detachTarget: Handler<'detachTarget'> = async (ctx, args) => {
  const o = requireObject<Record<string, unknown>>(args, 'arguments');
  const threadId = optional<number>(o, 'threadId', 'number');
  if (threadId === undefined || threadId < 2) throw new UserError("'threadId' must be the thread id (2 or more) of an attached process");
  await ctx.attach.detachTarget(threadId);
  return {};
};
