import { diag, type DiagLogLevel, metrics, trace } from '@opentelemetry/api';
import { getBooleanFromEnv, getStringFromEnv } from '@opentelemetry/core';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { envDetector } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { createHttpClientInstrumentation } from '../http/http-client-instrumentation';
import { HttpServerInstrumentation } from '../http/http-server-instrumentation';
import { QueryRedactingSpanProcessor } from '../http/query-redacting-span-processor';
import { createLogInstrumentations } from '../logging/log-instrumentations';
import { MetricStore, setActiveMetricStore } from '../metrics/metric-store';
import { ScrapeAuthorization } from '../metrics/prometheus/scrape-authorization';
import {
  DEFAULT_METRICS_PATH,
  forgetStartedTelemetry,
  getStartedTelemetry,
  rememberStartedTelemetry,
  type StartedTelemetry,
  type Telemetry,
} from '../state/started-telemetry';
import { LIBRARY_SCOPE } from '../telemetry.constants';
import { type FileSdkConfig, loadFileSdkConfig } from './config-file-sdk';
import { keepingConsoleDiagnostics, useConsoleForDiagnostics } from './console-diagnostics';
import { hasOtlpEndpoint } from './env';
import { installThrottledErrorHandler } from './export-diagnostics';
import {
  createPeriodicReader,
  createPushMetricExports,
  NO_NATIVE_HISTOGRAMS,
  type PushMetricExport,
  readMetricsExporters,
  readNativeHistograms,
  readsAsStored,
} from './metric-readers';
import { PooledIdGenerator } from './pooled-id-generator';
import { createPrometheusEndpoint } from './prometheus-endpoint';
import { createBaseResource } from './resource';
import { createSamplerFromEnv } from './sampler';
import { createShutdown } from './sdk-shutdown';
import { createSpanExport, observeSpanExport, type SpanExport } from './span-export';
import type { StartTelemetryOptions } from './telemetry-options';

/**
 * Starts OpenTelemetry for this process: call it before Nest, express or `http` are loaded (first
 * import of the app's `main.ts`), because instrumentation only patches modules loaded after it.
 *
 * Configured by the standard `OTEL_*` environment variables; see the library's README.
 * A second call returns the telemetry already started.
 *
 * @example
 * // instrumentation.ts, imported first by main.ts
 * import { startTelemetry } from '@obs/telemetry/register';
 * startTelemetry({ serviceName: 'orders', serviceVersion: '1.4.0' });
 */
export function startTelemetry(options: StartTelemetryOptions = {}): Telemetry {
  const started = getStartedTelemetry();
  if (started) {
    if (Object.keys(options).length > 0) {
      diag.warn('startTelemetry() was called again: telemetry is already started, these options are not applied');
    }
    return started;
  }
  const diagLevel = useConsoleForDiagnostics();
  const serviceName = getStringFromEnv('OTEL_SERVICE_NAME') ?? options.serviceName;
  const metricsPath = options.metricsPath ?? DEFAULT_METRICS_PATH;
  // Literal segments only: the path is also a Nest route, where `:name`, `*` or `(` would be patterns.
  if (!/^(\/[\w.~-]+)+$/.test(metricsPath)) {
    throw new TypeError(
      `Invalid startTelemetry() option metricsPath="${metricsPath}": expected a path of plain segments, such as "/metrics"`,
    );
  }
  // OTEL_SDK_DISABLED stays the kill switch, file or not: checked before the file is even read.
  const disabled = getBooleanFromEnv('OTEL_SDK_DISABLED');
  const file = disabled ? undefined : loadFileSdkConfig(createBaseResource(options));
  // Disabled means nothing is constructed: instrumentations patch modules in their constructors.
  return rememberStartedTelemetry(
    disabled || file?.disabled
      ? disabledTelemetry(serviceName, metricsPath)
      : startSdk(serviceName, metricsPath, options, diagLevel, file),
  );
}

/**
 * Starts the SDK, configured by `file` (`OTEL_CONFIG_FILE`) when there is one, else by the environment;
 * ours on top either way: query redaction, span-loss accounting, the Prometheus exposition and its native
 * histograms, HTTP and log instrumentation.
 */
function startSdk(
  serviceName: string | undefined,
  metricsPath: string,
  options: StartTelemetryOptions,
  diagLevel: DiagLogLevel,
  file: FileSdkConfig | undefined,
): StartedTelemetry {
  const requestedNativeHistograms = readNativeHistograms(options);
  const metricsExporters = file ? [] : readMetricsExporters();
  const prometheusWanted = file ? file.prometheus !== undefined : metricsExporters.includes('prometheus');
  // Native histograms are Prometheus' alone: none without the exposition.
  const nativeHistograms = prometheusWanted ? requestedNativeHistograms : NO_NATIVE_HISTOGRAMS;
  const pushExports = file ? file.pushMetricReaders : createPushMetricExports(metricsExporters);
  const metricStore = ownsAggregation(options, file, prometheusWanted, pushExports)
    ? new MetricStore(nativeHistograms.byInstrument)
    : undefined;
  const metricProducers = metricStore ? [metricStore] : [];
  const prometheus = createPrometheusEndpoint(prometheusWanted, metricsPath, file?.prometheus, metricProducers);
  const metricReaders = [
    ...(prometheus.exposition ? [prometheus.exposition.reader] : []),
    ...pushExports.map((push) => createPeriodicReader(push, nativeHistograms.streams, metricProducers)),
    ...(options.metricReaders ?? []),
  ];
  const instrumentations: Instrumentation[] = [
    createHttpClientInstrumentation(),
    ...(options.runtimeMetrics === false ? [] : [new RuntimeNodeInstrumentation()]),
    ...createLogInstrumentations(),
    ...(options.instrumentations ?? []),
  ];
  const errorHandler = installThrottledErrorHandler();
  const spanExport: SpanExport = options.spanProcessors
    ? { processors: options.spanProcessors, batched: [] }
    : (file?.spanExport ?? createSpanExport());
  const sampler = file?.sampler ?? createSamplerFromEnv();
  const sdk = keepingConsoleDiagnostics(
    diagLevel,
    () =>
      new NodeSDK({
        ...(file
          ? {
              resource: file.resource,
              resourceDetectors: file.resourceDetectors,
              textMapPropagator: file.propagator,
              spanLimits: file.spanLimits,
            }
          : { resource: createBaseResource(options), resourceDetectors: [envDetector] }),
        sampler,
        idGenerator: options.idGenerator ?? new PooledIdGenerator(),
        // Redaction first, whatever the exporters: no query-string value leaves the process.
        spanProcessors: [new QueryRedactingSpanProcessor(), ...spanExport.processors],
        metricReaders,
        views: [...nativeHistograms.views, ...(file?.views ?? [])],
        // The SDK would default log export to OTLP; without an endpoint that only produces errors.
        logRecordProcessors:
          options.logRecordProcessors ??
          file?.logRecordProcessors ??
          (getStringFromEnv('OTEL_LOGS_EXPORTER') || hasOtlpEndpoint('LOGS') ? undefined : []),
        instrumentations,
      }),
  );
  sdk.start();
  setActiveMetricStore(metricStore);
  const httpServer = new HttpServerInstrumentation(
    trace.getTracer(LIBRARY_SCOPE),
    metrics.getMeter(LIBRARY_SCOPE),
    metricsPath,
    metricStore,
  );
  httpServer.enable();
  observeSpanExport(metrics.getMeter(LIBRARY_SCOPE), spanExport.batched);
  void prometheus.metricsServer?.listen();
  return {
    enabled: true,
    serviceName,
    metricsPath,
    appPortMetrics: prometheus.metricsServer ? undefined : prometheus.exposition,
    scrapeAuthorization: prometheus.scrapeAuthorization,
    shutdown: createShutdown({
      sdk,
      instrumentations: [httpServer, ...instrumentations],
      metricsServer: prometheus.metricsServer,
      batchedSpans: spanExport.batched,
      errorHandler,
    }),
  };
}

/**
 * Whether the library's per-request instruments are aggregated in its own store (cheaper per measurement)
 * rather than by the SDK: only where some reader of the library's reads metrics, and every reader would read
 * them the same either way. Not with readers of the user's (the store cannot join them), views from a
 * configuration file (they could rename, drop or re-aggregate these instruments), or a pushed exporter asking
 * for delta temporality or another aggregation: then the SDK aggregates everything, as before. Nor without
 * any reader (`OTEL_METRICS_EXPORTER=none`), where the SDK aggregates nothing at all.
 */
function ownsAggregation(
  options: StartTelemetryOptions,
  file: FileSdkConfig | undefined,
  prometheusWanted: boolean,
  pushExports: readonly PushMetricExport[],
): boolean {
  const readsMetrics = prometheusWanted || pushExports.length > 0;
  return (
    readsMetrics &&
    (options.metricReaders ?? []).length === 0 &&
    (file?.views ?? []).length === 0 &&
    pushExports.every(readsAsStored)
  );
}

function disabledTelemetry(serviceName: string | undefined, metricsPath: string): StartedTelemetry {
  return {
    enabled: false,
    serviceName,
    metricsPath,
    appPortMetrics: undefined,
    scrapeAuthorization: ScrapeAuthorization.fromEnv(),
    shutdown: async () => forgetStartedTelemetry(),
  };
}
