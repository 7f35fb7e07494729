import { globalErrorHandler } from '@opentelemetry/core';
import { captureDiagnostics, type CapturedDiagnostics } from '../testing/captured-diagnostics';
import { ThrottledErrorHandler } from './throttled-error-handler';

describe('ThrottledErrorHandler', () => {
  let diagnostics: CapturedDiagnostics;
  beforeEach(() => {
    jest.useFakeTimers();
    diagnostics = captureDiagnostics();
  });
  afterEach(() => {
    diagnostics.restore();
    jest.useRealTimers();
  });

  it('turns a stream of SDK errors into one line per interval, without stack traces, and the rest at uninstall', () => {
    const handler = ThrottledErrorHandler.install(30_000);
    for (let i = 0; i < 100; i++) globalErrorHandler(new Error(`connect ECONNREFUSED 127.0.0.1:4318 #${i}`));
    expect(diagnostics.errors).toEqual([
      'OpenTelemetry: 1 error(s) (such as failed log exports); last: connect ECONNREFUSED 127.0.0.1:4318 #0. At most one such line every 30 s',
    ]);
    jest.advanceTimersByTime(30_000);
    expect(diagnostics.errors[1]).toBe(
      'OpenTelemetry: 99 error(s) (such as failed log exports); last: connect ECONNREFUSED 127.0.0.1:4318 #99. At most one such line every 30 s',
    );
    globalErrorHandler(new Error('last'));
    handler.uninstall();
    expect(diagnostics.errors).toHaveLength(3);
    expect(diagnostics.errors.join('\n')).not.toContain('    at ');
  });

  it('gives the SDK its own handler back on uninstall', () => {
    ThrottledErrorHandler.install(30_000).uninstall();
    globalErrorHandler(new Error('after'));
    expect(diagnostics.errors).toEqual([expect.stringContaining('"message":"after"')]);
  });
});
