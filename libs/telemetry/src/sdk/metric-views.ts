import type { ViewOptions } from '@opentelemetry/sdk-metrics';

/**
 * Names that follow Prometheus conventions for the instruments the library itself records.
 *
 * The Prometheus exporter of this OpenTelemetry line turns `http.server.request.duration` (unit `s`)
 * into `http_server_request_duration`, without the unit suffix Prometheus expects; these views give the
 * streams the names the OpenTelemetry-to-Prometheus compatibility specification prescribes.
 */
export const PROMETHEUS_NAMING_VIEWS: ViewOptions[] = ['http.server.request.duration', 'http.client.request.duration'].map(
  (instrumentName) => ({ instrumentName, name: `${instrumentName}_seconds` }),
);
