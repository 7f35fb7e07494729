module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'health-api',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
