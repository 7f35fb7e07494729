import { redactQuery, redactUrl } from './redact-query';

describe('query redaction', () => {
  it('replaces every value and keeps the keys', () => {
    expect(redactQuery('token=s3cret&page=2&debug&empty=')).toBe('token=REDACTED&page=REDACTED&debug&empty=REDACTED');
  });

  it('works on the raw text: encoded and odd values go too, nothing is decoded', () => {
    expect(redactQuery('q=a%20b%3Dc&x==y')).toBe('q=REDACTED&x=REDACTED');
  });

  it('redacts the query of a full URL and leaves the fragment out', () => {
    expect(redactUrl('https://api.example/v1/items?api_key=abc&n=1#frag')).toBe(
      'https://api.example/v1/items?api_key=REDACTED&n=REDACTED',
    );
    expect(redactUrl('http://127.0.0.1:3000/healthz')).toBe('http://127.0.0.1:3000/healthz');
  });
});
