// What the core needs from the language service (type checks, completion, hover, is_complete),
// as a structural interface so the core does not depend on how that service is built.

export type CheckMode = 'off' | 'warn' | 'strict';

export interface Diagnostic {
  line: number;
  column: number;
  code: number;
  message: string;
  category: 'error' | 'warning' | 'suggestion';
}

export interface CompleteResult {
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata: Record<string, unknown>;
}

export interface LanguageFeatures {
  warmUp(): void;
  /** True once the checker has loaded the full program and answers checks in milliseconds. */
  isWarm(): boolean;
  addCell(code: string, executionCount: number): void;
  /** False when no type error is possible in the cell (literals only, comments): no check runs. */
  needsCheck(code: string): boolean;
  check(code: string): Promise<Diagnostic[]>;
  complete(code: string, cursorPos: number): Promise<CompleteResult>;
  inspect(code: string, cursorPos: number, detailLevel: number): Promise<{ found: boolean; data: Record<string, string> }>;
  isComplete(code: string): Promise<{ status: 'complete' | 'incomplete' | 'invalid' | 'unknown'; indent?: string }>;
  format(diags: Diagnostic[], code: string, cellLabel: string): string;
  dispose(): Promise<void>;
}
