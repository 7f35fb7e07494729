import { globalErrorHandler } from '@opentelemetry/core';
import { captureDiagnostics, type CapturedDiagnostics } from '../spec-support/captured-diagnostics';
import { describeError, installThrottledErrorHandler, ThrottledLine } from './export-diagnostics';

describe('installThrottledErrorHandler', () => {
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
    const handler = installThrottledErrorHandler();
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
    installThrottledErrorHandler().uninstall();
    globalErrorHandler(new Error('after'));
    expect(diagnostics.errors).toEqual([expect.stringContaining('"message":"after"')]);
  });
});

describe('ThrottledLine', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes the first occurrence at once and the rest at most once per interval', () => {
    const write = jest.fn();
    const warning = new ThrottledLine(write, 30_000);
    warning.notify();
    expect(write).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 1000; i++) warning.notify();
    expect(write).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(30_000);
    expect(write).toHaveBeenCalledTimes(2);
    jest.advanceTimersByTime(30_000);
    // Nothing happened in that interval: nothing written, and the next occurrence is written at once.
    expect(write).toHaveBeenCalledTimes(2);
    warning.notify();
    expect(write).toHaveBeenCalledTimes(3);
  });

  it('writes what is pending on close, and nothing after', () => {
    const write = jest.fn();
    const warning = new ThrottledLine(write, 30_000);
    warning.notify();
    warning.notify();
    warning.close();
    expect(write).toHaveBeenCalledTimes(2);
    warning.notify();
    jest.advanceTimersByTime(60_000);
    expect(write).toHaveBeenCalledTimes(2);
  });

  it('writes nothing on close when nothing is pending', () => {
    const write = jest.fn();
    new ThrottledLine(write, 30_000).close();
    expect(write).not.toHaveBeenCalled();
  });
});

describe('describeError', () => {
  it('is the message on one line, without the stack', () => {
    const error = new Error('connect ECONNREFUSED\n127.0.0.1:4318');
    expect(describeError(error)).toBe('connect ECONNREFUSED 127.0.0.1:4318');
  });

  it('keeps an HTTP status carried as a numeric code', () => {
    expect(describeError(Object.assign(new Error('Service Unavailable'), { code: 503 }))).toBe(
      'Service Unavailable (HTTP 503)',
    );
    expect(describeError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('read ECONNRESET');
  });

  it('is short, whatever it is given', () => {
    expect(describeError('x'.repeat(1000))).toHaveLength(200);
    expect(describeError(undefined)).toBe('undefined');
  });
});
