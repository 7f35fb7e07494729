import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import { getStringFromEnv } from '@opentelemetry/core';
import type { ScrapeGate } from '../../state/started-telemetry';

/**
 * The variable holding the token Prometheus must send (`authorization: { credentials: … }` in its scrape
 * config). Ours, not an `OTEL_*` name: the specification reserves those and defines none for this.
 */
export const METRICS_BEARER_TOKEN = 'METRICS_BEARER_TOKEN';

/** `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110). */
const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Who may scrape `/metrics`: anyone, or, when `METRICS_BEARER_TOKEN` is set, only a request carrying
 * `Authorization: Bearer <that token>`, on the app's port and on a port of its own alike.
 *
 * Tokens are compared as SHA-256 digests with `timingSafeEqual`: equal lengths, constant time, so the
 * time a refusal takes says nothing about how much of a guess was right, nor about the token's length.
 * The token itself is kept only as its digest, so the object can be logged without leaking it.
 */
export class ScrapeAuthorization implements ScrapeGate {
  /** `undefined`: open; `null`: set but blank, so nothing can match (fail closed). */
  private constructor(private readonly expectedDigest: Buffer | null | undefined) {}

  /** Reads `METRICS_BEARER_TOKEN`. Set but blank is a mistake that must not open /metrics: one warning, and every scrape refused. */
  static fromEnv(): ScrapeAuthorization {
    const token = getStringFromEnv(METRICS_BEARER_TOKEN)?.trim();
    if (token !== undefined) return new ScrapeAuthorization(digest(token));
    if (process.env[METRICS_BEARER_TOKEN] === undefined) return new ScrapeAuthorization(undefined);
    diag.warn(`${METRICS_BEARER_TOKEN} is set but blank: /metrics answers 401 to every request until it holds a token`);
    return new ScrapeAuthorization(null);
  }

  /** Whether scrapes need a token. */
  get required(): boolean {
    return this.expectedDigest !== undefined;
  }

  /** Whether a request with this `Authorization` header may scrape. */
  allows(authorization: string | undefined): boolean {
    if (this.expectedDigest === undefined) return true;
    const presented = BEARER.exec(authorization ?? '')?.[1];
    if (presented === undefined || this.expectedDigest === null) return false;
    return timingSafeEqual(digest(presented), this.expectedDigest);
  }
}

/** The 401 a refused scrape gets, saying which scheme to use. */
export function refuseScrape(response: ServerResponse): void {
  response
    .writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' })
    .end('Unauthorized: /metrics needs Authorization: Bearer <METRICS_BEARER_TOKEN>\n');
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
