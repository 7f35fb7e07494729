/** Modules that must not load with the start-up: it runs before them, and apps without Nest use it too. */
const LATER_MODULES = ['@nestjs/common', '@nestjs/core', '@nestjs/platform-express', 'express', 'nestjs-otel'];

describe('@obs/telemetry/register', () => {
  it('loads no Nest module and no express, and starts nothing when imported', () => {
    const loaded: string[] = [];
    jest.isolateModules(() => {
      for (const name of LATER_MODULES) {
        jest.doMock(name, () => {
          loaded.push(name);
          return {};
        });
      }
      const register = require('./register') as typeof import('./register');
      expect(typeof register.startTelemetry).toBe('function');
      // Imported (not preloaded with --require), it leaves the start to the app, with its options.
      expect(register.getTelemetry()).toBeUndefined();
    });
    expect(loaded).toEqual([]);
  });
});
