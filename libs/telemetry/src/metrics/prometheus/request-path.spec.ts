import { isRequestFor } from './request-path';

describe('isRequestFor', () => {
  it.each([
    ['/metrics', true],
    ['/metrics?name[]=up', true],
    ['/metrics?', true],
    ['/metricsx', false],
    ['/metrics/', false],
    ['/other', false],
    ['', false],
    [undefined, false],
  ])('%p is a request for /metrics: %p', (target, expected) => {
    expect(isRequestFor(target, '/metrics')).toBe(expected);
  });
});
