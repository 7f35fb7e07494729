module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'supported-node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.spec.ts'],
};
