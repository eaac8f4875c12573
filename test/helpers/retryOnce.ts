// Integration tests drive real processes (kernels, runners, servers, browsers) on a small shared
// machine: a test that fails is run once more, and the first failure is printed in full. The
// summary (scripts/summarize-tests.mjs) counts tests that needed the second run as "flaky", so
// they stay visible rather than silently passing.
jest.retryTimes(1, { logErrorsBeforeRetry: true });
