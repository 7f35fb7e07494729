/** Where health-api is and how long the gateway waits for it. */
export interface UpstreamConfig {
  healthApiUrl: URL;
  timeoutMs: number;
}

export const UPSTREAM_CONFIG = Symbol('UPSTREAM_CONFIG');

/**
 * `HEALTH_API_URL` (default `http://127.0.0.1:3000`) and `HEALTH_API_TIMEOUT_MS` (default 2000).
 * A bad value stops start-up with a message naming the variable and the value.
 */
export function readUpstreamConfig(env: NodeJS.ProcessEnv): UpstreamConfig {
  const rawUrl = env['HEALTH_API_URL']?.trim() || 'http://127.0.0.1:3000';
  let healthApiUrl: URL;
  try {
    healthApiUrl = new URL(rawUrl);
  } catch {
    throw new Error(`HEALTH_API_URL="${rawUrl}" is not a URL: expected e.g. http://127.0.0.1:3000`);
  }
  if (healthApiUrl.protocol !== 'http:') {
    throw new Error(`HEALTH_API_URL="${rawUrl}" is not an http:// URL`);
  }
  const rawTimeout = env['HEALTH_API_TIMEOUT_MS']?.trim() || '2000';
  const timeoutMs = Number(rawTimeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000) {
    throw new Error(`HEALTH_API_TIMEOUT_MS="${rawTimeout}" is not a timeout: expected milliseconds from 1 to 60000`);
  }
  return { healthApiUrl, timeoutMs };
}
