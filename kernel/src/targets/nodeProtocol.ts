// Node-only CDP domains that devtools-protocol does not describe, typed like its ProtocolMapping
// (command -> paramsType/returnType, event -> [params]): NodeWorker, which reaches a process's
// worker threads through the main thread's inspector session.

export interface NodeWorkerInfo {
  workerId: string;
  type: string;
  title: string;
  url: string;
}

export interface NodeCommands {
  'NodeWorker.enable': { paramsType: [{ waitForDebuggerOnStart: boolean }]; returnType: Record<string, never> };
  'NodeWorker.disable': { paramsType: []; returnType: Record<string, never> };
  'NodeWorker.detach': { paramsType: [{ sessionId: string }]; returnType: Record<string, never> };
  'NodeWorker.sendMessageToWorker': { paramsType: [{ sessionId: string; message: string }]; returnType: Record<string, never> };
}

export interface NodeEvents {
  'NodeWorker.attachedToWorker': [{ sessionId: string; workerInfo: NodeWorkerInfo; waitingForDebugger: boolean }];
  'NodeWorker.detachedFromWorker': [{ sessionId: string }];
  'NodeWorker.receivedMessageFromWorker': [{ sessionId: string; message: string; workerId?: string }];
}
