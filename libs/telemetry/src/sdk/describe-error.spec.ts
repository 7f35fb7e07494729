import { describeError } from './describe-error';

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
