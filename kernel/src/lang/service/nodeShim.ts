// Staged start, part 1: while the Node typings are still being parsed, this small stand-in
// declares the Node globals cells use most, so the first completions and hovers (within a few
// hundred milliseconds of start) already know `console`, `process`, timers and `require`.
// It is dropped from the program as soon as the real @types/node is in.

export const NODE_SHIM = `
interface Console {
  log(...data: any[]): void; error(...data: any[]): void; warn(...data: any[]): void; info(...data: any[]): void;
  debug(...data: any[]): void; trace(...data: any[]): void; dir(item?: any, options?: any): void; table(data: any, columns?: string[]): void;
  time(label?: string): void; timeEnd(label?: string): void; timeLog(label?: string, ...data: any[]): void;
  count(label?: string): void; group(...label: any[]): void; groupEnd(): void; assert(value: any, ...data: any[]): void;
}
declare var console: Console;
declare var process: any;
declare var require: any;
declare var module: any;
declare var exports: any;
declare var Buffer: any;
declare var __dirname: string;
declare var __filename: string;
declare function setTimeout(callback: (...args: any[]) => void, ms?: number, ...args: any[]): any;
declare function setInterval(callback: (...args: any[]) => void, ms?: number, ...args: any[]): any;
declare function setImmediate(callback: (...args: any[]) => void, ...args: any[]): any;
declare function clearTimeout(handle: any): void;
declare function clearInterval(handle: any): void;
declare function clearImmediate(handle: any): void;
declare function queueMicrotask(callback: () => void): void;
declare function structuredClone<T>(value: T, options?: any): T;
declare function fetch(input: any, init?: any): Promise<any>;
declare var URL: any;
declare var URLSearchParams: any;
declare var TextEncoder: any;
declare var TextDecoder: any;
declare var AbortController: any;
`;
