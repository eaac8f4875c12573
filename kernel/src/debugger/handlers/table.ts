// command -> handler, and the body JupyterLab dereferences when a command fails (it reads
// `reply.body.<array>` without checking `success`, so failures still carry the expected keys).

import type { DapBody, DapCommand } from '../protocol';
import * as attachRequests from './attach';
import * as breakpoints from './breakpoints';
import { UserError } from '../errors';
import { completions } from './completions';
import type { HandlerTable } from './context';
import * as execution from './execution';
import * as inspection from './inspection';
import * as jupyter from './jupyter';
import * as lifecycle from './lifecycle';

export const HANDLERS: HandlerTable = {
  initialize: lifecycle.initialize,
  attach: lifecycle.attach,
  launch: lifecycle.launch,
  configurationDone: lifecycle.configurationDone,
  disconnect: lifecycle.disconnect,
  terminate: lifecycle.terminate,
  threads: lifecycle.threads,
  debugInfo: jupyter.debugInfo,
  dumpCell: jupyter.dumpCell,
  inspectVariables: jupyter.inspectVariables,
  richInspectVariables: jupyter.richInspectVariables,
  copyToGlobals: jupyter.copyToGlobals,
  modules: jupyter.modules,
  loadedSources: jupyter.loadedSources,
  source: jupyter.source,
  setBreakpoints: breakpoints.setBreakpoints,
  setExceptionBreakpoints: breakpoints.setExceptionBreakpoints,
  setFunctionBreakpoints: breakpoints.setFunctionBreakpoints,
  breakpointLocations: breakpoints.breakpointLocations,
  exceptionInfo: breakpoints.exceptionInfo,
  continue: execution.continue_,
  next: execution.next,
  stepIn: execution.stepIn,
  stepOut: execution.stepOut,
  pause: execution.pause,
  stackTrace: inspection.stackTrace,
  scopes: inspection.scopes,
  variables: inspection.variables,
  setVariable: inspection.setVariable,
  setExpression: inspection.setExpression,
  evaluate: inspection.evaluate,
  completions,
  listen: attachRequests.listen,
  listTargets: attachRequests.listTargets,
  attachTarget: attachRequests.attachTarget,
  detachTarget: attachRequests.detachTarget,
  restartFrame: async () => {
    throw new UserError('restartFrame is not supported');
  },
};

export const FAILURE_BODIES: { [K in DapCommand]?: DapBody<K> } = {
  stackTrace: { stackFrames: [], totalFrames: 0 },
  scopes: { scopes: [] },
  variables: { variables: [] },
  inspectVariables: { variables: [] },
  setBreakpoints: { breakpoints: [] },
  breakpointLocations: { breakpoints: [] },
  modules: { modules: [], totalModules: 0 },
  loadedSources: { sources: [] },
  threads: { threads: [] },
  dumpCell: { sourcePath: '' },
  source: { content: '' },
  richInspectVariables: { data: {}, metadata: {} },
  evaluate: { result: '', variablesReference: 0 },
  completions: { targets: [] },
  listTargets: { inspectors: [], processes: [], agents: [], attached: [] },
  listen: { listening: false },
};

export function isCommand(command: string): command is DapCommand {
  return Object.prototype.hasOwnProperty.call(HANDLERS, command);
}
