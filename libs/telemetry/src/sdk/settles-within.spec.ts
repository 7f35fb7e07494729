import { settlesWithin } from './settles-within';

describe('settlesWithin', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is true when the work settles in time', async () => {
    await expect(settlesWithin(Promise.resolve(), 1000)).resolves.toBe(true);
  });

  it('is false when the work does not, leaving it running', async () => {
    const result = settlesWithin(new Promise(() => undefined), 1000);
    await jest.advanceTimersByTimeAsync(1000);
    await expect(result).resolves.toBe(false);
  });

  it('passes a rejection on', async () => {
    await expect(settlesWithin(Promise.reject(new Error('boom')), 1000)).rejects.toThrow('boom');
  });
});
