module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'gateway-api',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
