import type { Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_URL_FULL, ATTR_URL_QUERY } from '@opentelemetry/semantic-conventions';
import { redactQuery, redactUrl } from './redact-query';

/**
 * Redacts query-string values in `url.query` (server spans) and `url.full` (client spans) before any
 * span is exported, whichever instrumentation set them.
 *
 * The HTTP instrumentation records the query string as it came, redacting only a fixed list of cloud
 * signature keys (`sig`, `X-Amz-Signature`, …): `?token=secret` would reach the collector. Done when the
 * span ends (`onEnding`, while it is still writable), so attributes set at any point are covered.
 */
export class QueryRedactingSpanProcessor implements SpanProcessor {
  onStart(): void {
    // Attributes may still change until the span ends.
  }

  onEnding(span: Span): void {
    const query = span.attributes[ATTR_URL_QUERY];
    if (typeof query === 'string') span.setAttribute(ATTR_URL_QUERY, redactQuery(query));
    const url = span.attributes[ATTR_URL_FULL];
    if (typeof url === 'string') span.setAttribute(ATTR_URL_FULL, redactUrl(url));
  }

  onEnd(): void {
    // Nothing to export: this processor only edits.
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
