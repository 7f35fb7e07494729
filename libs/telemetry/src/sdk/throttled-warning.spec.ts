import { ThrottledWarning } from './throttled-warning';

describe('ThrottledWarning', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes the first occurrence at once and the rest at most once per interval', () => {
    const write = jest.fn();
    const warning = new ThrottledWarning(write, 30_000);
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
    const warning = new ThrottledWarning(write, 30_000);
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
    new ThrottledWarning(write, 30_000).close();
    expect(write).not.toHaveBeenCalled();
  });
});
