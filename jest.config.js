// Jest projects: unit tests (pure logic, parallel) and integration tests (real kernel
// processes over real ZeroMQ sockets, run in band). Both compile TypeScript with ts-jest.
// Integration files set their own timeouts (jest.setTimeout); scripts/test.sh passes
// --testTimeout for the rest. No test is retried: a file whose failures have a documented cause
// outside the product opts in with retryOnce(cause) (test/helpers/retryOnce.ts).
const tsJest = ['ts-jest', { tsconfig: 'test/tsconfig.json' }];
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      testEnvironment: 'node',
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      testEnvironment: 'node',
    },
  ],
};
