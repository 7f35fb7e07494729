import { readUpstreamConfig } from './upstream.config';

describe('readUpstreamConfig', () => {
  it('defaults to health-api on 127.0.0.1:3000 with a 2 s timeout', () => {
    const config = readUpstreamConfig({});
    expect(config.healthApiUrl.href).toBe('http://127.0.0.1:3000/');
    expect(config.timeoutMs).toBe(2000);
  });

  it('reads HEALTH_API_URL and HEALTH_API_TIMEOUT_MS', () => {
    const config = readUpstreamConfig({ HEALTH_API_URL: 'http://health:8080', HEALTH_API_TIMEOUT_MS: '500' });
    expect(config.healthApiUrl.host).toBe('health:8080');
    expect(config.timeoutMs).toBe(500);
  });

  it.each([
    [{ HEALTH_API_URL: 'health-api' }, 'HEALTH_API_URL="health-api" is not a URL'],
    [{ HEALTH_API_URL: 'https://health:8443' }, 'HEALTH_API_URL="https://health:8443" is not an http:// URL'],
    [{ HEALTH_API_TIMEOUT_MS: 'soon' }, 'HEALTH_API_TIMEOUT_MS="soon" is not a timeout'],
    [{ HEALTH_API_TIMEOUT_MS: '0' }, 'HEALTH_API_TIMEOUT_MS="0" is not a timeout'],
  ])('refuses %p naming the variable and the value', (env, message) => {
    expect(() => readUpstreamConfig(env)).toThrow(message);
  });
});
