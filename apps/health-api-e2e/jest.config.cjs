module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'health-api-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
  // Real processes, a real Prometheus: generous per-test bound, never an assertion on time.
  testTimeout: 60_000,
  maxWorkers: 1,
};
