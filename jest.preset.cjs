// Shared Jest settings for every project: TypeScript through ts-jest, Node environment.
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@obs/telemetry$': '<rootDir>/../../libs/telemetry/src/index.ts',
  },
};
