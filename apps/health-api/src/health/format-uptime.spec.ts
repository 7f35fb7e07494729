import { formatUptime } from './format-uptime';

describe('formatUptime (Python timedelta style)', () => {
  it.each([
    [0, '0:00:00'],
    [53_605.913, '0:00:53.605913'],
    [3_723_004.5, '1:02:03.004500'],
    [86_400_000 + 7_384_000.005, '1 day, 2:03:04.000005'],
    [3 * 86_400_000, '3 days, 0:00:00'],
    [-5, '0:00:00'],
  ])('%p ms reads %p', (milliseconds, expected) => {
    expect(formatUptime(milliseconds)).toBe(expected);
  });
});
