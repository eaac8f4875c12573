// Command-keyed DAP types: for every command the adapter answers, its arguments and its response
// body, from @vscode/debugprotocol plus the Jupyter additions (debugInfo, dumpCell,
// inspectVariables, richInspectVariables, copyToGlobals) and our attach requests. Handlers are
// typed from this map.

import type { DebugProtocol as P } from '@vscode/debugprotocol';
import type { AttachEvents, AttachTargetArguments, AttachTargetBody, DetachTargetArguments, ListenArguments, ListenBody, ListTargetsArguments, ListTargetsBody } from './attach/types';

export type { DebugProtocol } from '@vscode/debugprotocol';

export interface DebugInfoBody {
  isStarted: boolean;
  hashMethod: 'Murmur2';
  hashSeed: number;
  tmpFilePrefix: string;
  tmpFileSuffix: string;
  breakpoints: { source: string; breakpoints: P.SourceBreakpoint[] }[];
  stoppedThreads: number[];
  richRendering: boolean;
  copyToGlobals: boolean;
  exceptionPaths: string[];
  exceptionBreakpointFilters: P.ExceptionBreakpointsFilter[];
}

export interface RichInspectArguments {
  variableName: string;
  frameId?: number;
}

export interface RichInspectBody {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface CopyToGlobalsArguments {
  srcVariableName: string;
  dstVariableName: string;
  srcFrameId: number;
}

/** command -> [arguments, response body] */
export interface DapCommands {
  initialize: [P.InitializeRequestArguments, P.Capabilities];
  attach: [P.AttachRequestArguments, Record<string, never>];
  launch: [P.LaunchRequestArguments, Record<string, never>];
  configurationDone: [P.ConfigurationDoneArguments | undefined, Record<string, never>];
  disconnect: [P.DisconnectArguments | undefined, Record<string, never>];
  terminate: [P.TerminateArguments | undefined, Record<string, never>];
  debugInfo: [Record<string, unknown> | undefined, DebugInfoBody];
  dumpCell: [{ code: string }, { sourcePath: string }];
  setBreakpoints: [P.SetBreakpointsArguments, P.SetBreakpointsResponse['body']];
  breakpointLocations: [P.BreakpointLocationsArguments, P.BreakpointLocationsResponse['body']];
  setExceptionBreakpoints: [P.SetExceptionBreakpointsArguments, P.SetExceptionBreakpointsResponse['body'] | Record<string, never>];
  setFunctionBreakpoints: [P.SetFunctionBreakpointsArguments, P.SetFunctionBreakpointsResponse['body']];
  exceptionInfo: [P.ExceptionInfoArguments, P.ExceptionInfoResponse['body']];
  threads: [undefined, P.ThreadsResponse['body']];
  stackTrace: [P.StackTraceArguments, P.StackTraceResponse['body']];
  scopes: [P.ScopesArguments, P.ScopesResponse['body']];
  variables: [P.VariablesArguments, P.VariablesResponse['body']];
  setVariable: [P.SetVariableArguments, P.SetVariableResponse['body']];
  setExpression: [P.SetExpressionArguments, P.SetExpressionResponse['body']];
  evaluate: [P.EvaluateArguments, P.EvaluateResponse['body']];
  completions: [P.CompletionsArguments, P.CompletionsResponse['body']];
  continue: [P.ContinueArguments, P.ContinueResponse['body']];
  next: [P.NextArguments, Record<string, never>];
  stepIn: [P.StepInArguments, Record<string, never>];
  stepOut: [P.StepOutArguments, Record<string, never>];
  pause: [P.PauseArguments, Record<string, never>];
  restartFrame: [P.RestartFrameArguments, Record<string, never>];
  loadedSources: [P.LoadedSourcesArguments | undefined, P.LoadedSourcesResponse['body']];
  modules: [P.ModulesArguments | undefined, P.ModulesResponse['body']];
  source: [P.SourceArguments, P.SourceResponse['body']];
  inspectVariables: [Record<string, unknown> | undefined, P.VariablesResponse['body']];
  richInspectVariables: [RichInspectArguments, RichInspectBody];
  copyToGlobals: [CopyToGlobalsArguments, P.SetExpressionResponse['body'] | Record<string, never>];
  // Attach to running Node processes (schema/attach.schema.json).
  listen: [ListenArguments | undefined, ListenBody];
  listTargets: [ListTargetsArguments | undefined, ListTargetsBody];
  attachTarget: [AttachTargetArguments, AttachTargetBody];
  detachTarget: [DetachTargetArguments, Record<string, never>];
}

export type DapCommand = keyof DapCommands;
export type DapArgs<K extends DapCommand> = DapCommands[K][0];
export type DapBody<K extends DapCommand> = DapCommands[K][1];

/** Event name -> body, for the events this adapter emits. */
export interface DapEvents extends AttachEvents {
  initialized: undefined;
  stopped: P.StoppedEvent['body'];
  continued: P.ContinuedEvent['body'];
  breakpoint: P.BreakpointEvent['body'];
  /** `threadId` (our addition) names the attached target that printed. */
  output: P.OutputEvent['body'] & { threadId?: number };
  thread: P.ThreadEvent['body'];
  process: P.ProcessEvent['body'];
  terminated: P.TerminatedEvent['body'];
  loadedSource: P.LoadedSourceEvent['body'];
}
