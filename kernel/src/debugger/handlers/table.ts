// command -> handler, and the body JupyterLab dereferences when a command fails (it reads
// `reply.body.<array>` without checking `success`, so failures still carry the expected keys).

import type { DapBody, DapCommand } from '../protocol';
import * as att from './attach';
import * as bp from './breakpoints';
import { UserError } from '../errors';
import { completions } from './completions';
import type { HandlerTable } from './context';
import * as exec from './execution';
import * as insp from './inspection';
import * as jup from './jupyter';
import * as life from './lifecycle';

export const HANDLERS: HandlerTable = {
  initialize: life.initialize,
  attach: life.attach,
  launch: life.launch,
  configurationDone: life.configurationDone,
  disconnect: life.disconnect,
  terminate: life.terminate,
  threads: life.threads,
  debugInfo: jup.debugInfo,
  dumpCell: jup.dumpCell,
  inspectVariables: jup.inspectVariables,
  richInspectVariables: jup.richInspectVariables,
  copyToGlobals: jup.copyToGlobals,
  modules: jup.modules,
  loadedSources: jup.loadedSources,
  source: jup.source,
  setBreakpoints: bp.setBreakpoints,
  setExceptionBreakpoints: bp.setExceptionBreakpoints,
  setFunctionBreakpoints: bp.setFunctionBreakpoints,
  breakpointLocations: bp.breakpointLocations,
  exceptionInfo: bp.exceptionInfo,
  continue: exec.continue_,
  next: exec.next,
  stepIn: exec.stepIn,
  stepOut: exec.stepOut,
  pause: exec.pause,
  stackTrace: insp.stackTrace,
  scopes: insp.scopes,
  variables: insp.variables,
  setVariable: insp.setVariable,
  setExpression: insp.setExpression,
  evaluate: insp.evaluate,
  completions,
  listen: att.listen,
  listTargets: att.listTargets,
  attachTarget: att.attachTarget,
  detachTarget: att.detachTarget,
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
