// Shared Jest settings for every project: TypeScript through ts-jest, Node environment, and the
// workspace's path aliases (`@obs/telemetry`, `@obs/telemetry/testing`, ...) read from tsconfig.base.json.
// Nest 12's packages are ES modules: tools/jest/esm-to-commonjs.transform.cjs says why they are rewritten.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

const ES_MODULE_PACKAGES = ['@nestjs'];

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    [`/node_modules/(${ES_MODULE_PACKAGES.join('|')})/.+\\.js$`]:
      require.resolve('./tools/jest/esm-to-commonjs.transform.cjs'),
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ES_MODULE_PACKAGES.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/../../' }),
};
