// The pack test (test/pack): packs every published package and uses them outside the repository.
// Its own jest config, so `npm run test:unit`/`test:integration` never run it (it installs from the
// registry and takes minutes); scripts/test.sh runs it with --json like the other suites.
module.exports = {
  rootDir: '../..',
  testMatch: ['<rootDir>/test/pack/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
  testEnvironment: 'node',
};
