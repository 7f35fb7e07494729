// The generator specs run on @nx/devkit's virtual tree, whose root /virtual does not exist: Nx's native workspace
// context logs that as an error although nothing fails (nrwl/nx#34474). Only that module's log is turned off, and only
// when the person running the tests has not chosen Nx's native logging themselves.
process.env.NX_NATIVE_LOGGING ??= 'error,nx::native::workspace::context=off';

module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'workspace-plugin',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // Runs Nx, builds and a real app in a scratch copy of the workspace: a generous bound, not a timing.
  testTimeout: 300_000,
  maxWorkers: 1,
};
