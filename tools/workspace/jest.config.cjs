module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'workspace-plugin',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // Runs Nx, builds and a real app in a scratch copy of the workspace: a generous bound, not a timing.
  testTimeout: 300_000,
  maxWorkers: 1,
};
