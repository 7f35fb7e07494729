import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, NotFoundException, Req, Res, type Type } from '@nestjs/common';
import type { Telemetry } from '../sdk/telemetry';

/** A response of express (itself a `ServerResponse`) or fastify (which wraps one as `raw`). */
type PlatformResponse = ServerResponse | { raw: ServerResponse };
type PlatformRequest = IncomingMessage | { raw: IncomingMessage };

/** Why `/metrics` has nothing to show, as a Prometheus text-format comment (a valid, empty exposition). */
const NOT_STARTED = '# OpenTelemetry is not started: call startTelemetry() before Nest loads\n';
const DISABLED = '# OpenTelemetry is disabled (OTEL_SDK_DISABLED=true)\n';

/**
 * A controller serving the Prometheus text format at `path` on the app's own port. Made per module
 * instance because a route path is fixed when its controller class is declared.
 */
export function createMetricsController(path: string, getTelemetry: () => Telemetry | undefined): Type<unknown> {
  @Controller()
  class MetricsController {
    @Get(path)
    scrape(@Req() request: PlatformRequest, @Res() response: PlatformResponse): void {
      const telemetry = getTelemetry();
      const raw = 'raw' in response ? response.raw : response;
      if (telemetry?.enabled && !telemetry.appPortExporter) {
        // Metrics are served on a port of their own (OTEL_EXPORTER_PROMETHEUS_PORT); don't leak them here.
        throw new NotFoundException();
      }
      if (!telemetry?.appPortExporter) {
        raw.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
        raw.end(telemetry ? DISABLED : NOT_STARTED);
        return;
      }
      telemetry.appPortExporter.getMetricsRequestHandler('raw' in request ? request.raw : request, raw);
    }
  }
  return MetricsController;
}
