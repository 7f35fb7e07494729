import { inspect } from 'node:util';
import { captureDiagnostics, type CapturedDiagnostics } from '../../spec-support/captured-diagnostics';
import { inEnv } from '../../spec-support/with-env';
import { ScrapeAuthorization } from './scrape-authorization';

describe('ScrapeAuthorization', () => {
  let diagnostics: CapturedDiagnostics;
  beforeEach(() => (diagnostics = captureDiagnostics()));
  afterEach(() => diagnostics.restore());

  it('lets anyone scrape when METRICS_BEARER_TOKEN is unset', () => {
    const open = inEnv({}, () => ScrapeAuthorization.fromEnv());
    expect(open.required).toBe(false);
    expect(open.allows(undefined)).toBe(true);
  });

  it('lets only the bearer of the token scrape when it is set', () => {
    const guarded = inEnv({ METRICS_BEARER_TOKEN: 's3cret-token' }, () => ScrapeAuthorization.fromEnv());
    expect(guarded.required).toBe(true);
    expect(guarded.allows('Bearer s3cret-token')).toBe(true);
    expect(guarded.allows('bearer s3cret-token')).toBe(true);
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer s3cret',
      'Bearer s3cret-token2',
      'Basic s3cret-token',
      's3cret-token',
    ]) {
      expect(guarded.allows(header)).toBe(false);
    }
  });

  it('refuses every scrape when the variable is set but blank, with one warning, rather than open /metrics', () => {
    const closed = inEnv({ METRICS_BEARER_TOKEN: '  ' }, () => ScrapeAuthorization.fromEnv());
    expect(closed.allows('Bearer ')).toBe(false);
    expect(closed.allows('Bearer x')).toBe(false);
    expect(diagnostics.warnings).toEqual([
      'METRICS_BEARER_TOKEN is set but blank: /metrics answers 401 to every request until it holds a token',
    ]);
  });

  it('keeps only a digest of the token, so printing the object does not leak it', () => {
    const guarded = inEnv({ METRICS_BEARER_TOKEN: 's3cret-token' }, () => ScrapeAuthorization.fromEnv());
    expect(JSON.stringify(guarded)).not.toContain('s3cret-token');
    expect(inspect(guarded)).not.toContain('s3cret-token');
  });
});
