import type { ServerResponse } from 'node:http';
import { Controller, Get, Headers, NotFoundException, Query, Res, type Type } from '@nestjs/common';
import type { StartedTelemetry } from '../../state/started-telemetry';
import { CONTENT_TYPES } from './content-negotiation';
import { refuseScrape } from './scrape-authorization';

/** A response of express (itself a `ServerResponse`) or fastify (which wraps one as `raw`). */
type PlatformResponse = ServerResponse | { raw: ServerResponse };

/** Why `/metrics` has nothing to show, as a Prometheus text-format comment (a valid, empty exposition). */
const NOT_STARTED = '# OpenTelemetry is not started: call startTelemetry() before Nest loads\n';
const DISABLED = '# OpenTelemetry is disabled (OTEL_SDK_DISABLED=true)\n';

/**
 * A controller serving the Prometheus exposition (in the format the scraper negotiates) at `path` on the app's own port, to those who hold
 * the bearer token when `METRICS_BEARER_TOKEN` is set (401 otherwise). Made per module
 * instance because a route path is fixed when its controller class is declared.
 */
export function createMetricsController(path: string, getTelemetry: () => StartedTelemetry | undefined): Type<unknown> {
  @Controller()
  class MetricsController {
    @Get(path)
    async scrape(
      @Headers('accept') accept: string | undefined,
      @Headers('authorization') authorization: string | undefined,
      @Query('format') format: unknown,
      @Res() response: PlatformResponse,
    ): Promise<void> {
      const telemetry = getTelemetry();
      if (telemetry?.enabled && !telemetry.appPortMetrics) {
        // Metrics are served on a port of their own (OTEL_EXPORTER_PROMETHEUS_PORT); don't leak them here.
        throw new NotFoundException();
      }
      const raw = 'raw' in response ? response.raw : response;
      if (telemetry && !telemetry.scrapeAuthorization.allows(authorization)) {
        refuseScrape(raw);
        return;
      }
      const { status, body, contentType } = telemetry?.appPortMetrics
        ? await telemetry.appPortMetrics.scrape(accept, format)
        : { status: 200, body: telemetry ? DISABLED : NOT_STARTED, contentType: CONTENT_TYPES.text };
      raw.writeHead(status, { 'content-type': contentType }).end(body);
    }
  }
  return MetricsController;
}
