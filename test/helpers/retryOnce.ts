// Opt-in retry for an integration test file whose failures have a cause outside the product,
// documented where it is called (at the top of the file; jest retries every test of that file).
// Nothing else is retried: a failure is a failure, and a global retry would let a product race
// pass as "flaky". A test that needed the second run is still listed as "flaky" in the summary
// (scripts/summarize-tests.mjs); TSK_NO_RETRY=1 turns even these retries off.
export function retryOnce(cause: string): void {
  if (!cause.trim()) throw new Error('retryOnce: say which cause outside the product the retry is for');
  if (process.env.TSK_NO_RETRY !== '1') jest.retryTimes(1, { logErrorsBeforeRetry: true });
}
