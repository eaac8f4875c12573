// initialize / attach / configurationDone / disconnect / terminate / threads: the session's life.
// Capabilities are truthful: only what the adapter implements is advertised.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXCEPTION_FILTERS } from '../exceptions';
import type { Handler } from './context';

export const CAPABILITIES: DebugProtocol.Capabilities = {
  supportsConfigurationDoneRequest: true,
  supportsFunctionBreakpoints: false,
  supportsConditionalBreakpoints: true,
  supportsHitConditionalBreakpoints: true,
  supportsLogPoints: true,
  supportsEvaluateForHovers: true,
  exceptionBreakpointFilters: EXCEPTION_FILTERS,
  supportsStepBack: false,
  supportsSetVariable: true,
  supportsSetExpression: true,
  supportsRestartFrame: false,
  supportsGotoTargetsRequest: false,
  supportsStepInTargetsRequest: false,
  supportsCompletionsRequest: true,
  completionTriggerCharacters: ['.', '['],
  supportsModulesRequest: true,
  supportsRestartRequest: false,
  supportsExceptionOptions: false,
  supportsValueFormattingOptions: false,
  supportsExceptionInfoRequest: true,
  supportTerminateDebuggee: false,
  supportsDelayedStackTraceLoading: false,
  supportsLoadedSourcesRequest: true,
  supportsTerminateThreadsRequest: false,
  supportsTerminateRequest: false,
  supportsDataBreakpoints: false,
  supportsReadMemoryRequest: false,
  supportsDisassembleRequest: false,
  supportsCancelRequest: false,
  supportsBreakpointLocationsRequest: true,
  supportsClipboardContext: false,
  supportsSteppingGranularity: false,
  supportsInstructionBreakpoints: false,
  supportsExceptionFilterOptions: false,
};

export const initialize: Handler<'initialize'> = async (ctx) => {
  ctx.scheduleInitialized();
  return CAPABILITIES;
};

export const attach: Handler<'attach'> = async (ctx) => {
  await ctx.session.attachAll();
  ctx.sendInitialized();
  const nb = ctx.session.notebook();
  ctx.session.emit('process', { name: `tskernel ${ctx.session.language} notebook`, isLocalProcess: true, startMethod: 'attach', ...(nb ? { systemProcessId: nb.target.pid } : {}) });
  // The notebook and every attached process.
  for (const t of ctx.session.allThreads().sort((a, b) => a.id - b.id)) ctx.session.emit('thread', { reason: 'started', threadId: t.id });
  return {};
};

export const launch: Handler<'launch'> = async (ctx, args) => attach(ctx, args);

export const configurationDone: Handler<'configurationDone'> = async () => ({});

export const disconnect: Handler<'disconnect'> = async (ctx) => {
  await ctx.session.detachAll();
  return {};
};

/** The kernel never kills its runner on a debugger request: terminate = disconnect. */
export const terminate: Handler<'terminate'> = async (ctx) => {
  await ctx.session.detachAll();
  return {};
};

export const threads: Handler<'threads'> = async (ctx) => ({
  threads: ctx.session
    .allThreads()
    .sort((a, b) => a.id - b.id)
    .map((t) => ({ id: t.id, name: t.target.name })),
});
