import { context, diag, DiagConsoleLogger, DiagLogLevel, metrics, propagation, trace } from '@opentelemetry/api';
import { getBooleanFromEnv, getStringFromEnv } from '@opentelemetry/core';
import { logs } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { envDetector } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { createHttpClientInstrumentation } from '../http/http-client-instrumentation';
import { HttpServerInstrumentation } from '../http/http-server-instrumentation';
import { MetricsServer } from '../metrics/prometheus/metrics-server';
import { PrometheusExposition } from '../metrics/prometheus/prometheus-exposition';
import { ScrapeAuthorization } from '../metrics/prometheus/scrape-authorization';
import { createLogInstrumentations } from '../logging/log-instrumentations';
import { LIBRARY_SCOPE } from '../telemetry.constants';
import { hasOtlpEndpoint, readEnvOr, readEnvPort } from './env';
import { QueryRedactingSpanProcessor } from './query-redacting-span-processor';
import { createBaseResource } from './resource';
import { createSamplerFromEnv } from './sampler';
import { describeError, installThrottledErrorHandler } from './export-diagnostics';
import { type AccountedBatchSpanProcessor, createSpanExport, observeSpanExport, type SpanExport } from './span-export';
import {
  createPeriodicReader,
  createPushMetricReaders,
  readMetricsExporters,
  readNativeHistograms,
} from './metric-readers';
import { type FileSdkConfig, loadFileSdkConfig } from './config-file-sdk';
import { DEFAULT_METRICS_PATH, type StartedTelemetry, type Telemetry } from './telemetry';
import type { StartTelemetryOptions } from './telemetry-options';

let activeTelemetry: StartedTelemetry | undefined;

const NO_NATIVE_HISTOGRAMS = { views: [], streams: new Set<string>() };

/**
 * Longest wait for telemetry to flush at shutdown: half of `serve()`'s default 10 s, so that a collector
 * that never answers costs the unsent telemetry (counted in the last loss warning), not a failed exit.
 */
const SHUTDOWN_TIMEOUT_MS = 5000;

/**
 * Starts OpenTelemetry for this process: call it before Nest, express or `http` are loaded (first
 * import of the app's `main.ts`), because instrumentation only patches modules loaded after it.
 *
 * Configured by the standard `OTEL_*` environment variables; see the library's README.
 * A second call returns the telemetry already started.
 */
export function startTelemetry(options: StartTelemetryOptions = {}): Telemetry {
  if (activeTelemetry) {
    if (Object.keys(options).length > 0) {
      diag.warn('startTelemetry() was called again: telemetry is already started, these options are not applied');
    }
    return activeTelemetry;
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
  activeTelemetry =
    disabled || file?.disabled
      ? disabledTelemetry(serviceName, metricsPath)
      : startSdk(serviceName, metricsPath, options, diagLevel, file);
  return activeTelemetry;
}

/** The telemetry started by {@link startTelemetry}, if any. */
export function getTelemetry(): Telemetry | undefined {
  return activeTelemetry;
}

/** The same, with what the Nest module needs to serve `/metrics`. */
export function getStartedTelemetry(): StartedTelemetry | undefined {
  return activeTelemetry;
}

/**
 * Whether telemetry was started disabled (`OTEL_SDK_DISABLED=true`). The decorators then leave methods
 * as they are, so disabled costs nothing per call; not yet started is not disabled (tests start the SDK
 * after importing the code under test).
 */
export function isTelemetryDisabled(): boolean {
  return activeTelemetry?.enabled === false;
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
  const exposition = (file ? file.prometheus : metricsExporters.includes('prometheus'))
    ? new PrometheusExposition()
    : undefined;
  // Native histograms are Prometheus' alone: without its exposition, no exponential streams are collected.
  const nativeHistograms = exposition ? requestedNativeHistograms : NO_NATIVE_HISTOGRAMS;
  const scrapeAuthorization = ScrapeAuthorization.fromEnv();
  const metricsServer =
    exposition && createMetricsServer(exposition, metricsPath, scrapeAuthorization, file?.prometheus);
  const metricReaders = [
    ...(exposition ? [exposition.reader] : []),
    ...(file
      ? file.pushMetricReaders.map(({ exporter, ...timing }) =>
          createPeriodicReader(exporter, nativeHistograms.streams, timing),
        )
      : createPushMetricReaders(metricsExporters, nativeHistograms.streams)),
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
  // NodeSDK sets a console logger of its own when OTEL_LOG_LEVEL is set, with a warning and a stack
  // trace if one is set already: let it, now that the warnings of start-up are written.
  if (getStringFromEnv('OTEL_LOG_LEVEL') !== undefined) diag.disable();
  const sdk = new NodeSDK({
    ...(file
      ? {
          resource: file.resource,
          resourceDetectors: file.resourceDetectors,
          textMapPropagator: file.propagator,
          spanLimits: file.spanLimits,
        }
      : { resource: createBaseResource(options), resourceDetectors: [envDetector] }),
    sampler,
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
  });
  // NodeSDK replaced the logger (at INFO for a level it does not know): put ours back.
  diag.setLogger(new DiagConsoleLogger(), { logLevel: diagLevel, suppressOverrideMessage: true });
  sdk.start();
  const httpServer = new HttpServerInstrumentation(
    trace.getTracer(LIBRARY_SCOPE),
    metrics.getMeter(LIBRARY_SCOPE),
    metricsPath,
  );
  httpServer.enable();
  observeSpanExport(metrics.getMeter(LIBRARY_SCOPE), spanExport.batched);
  void metricsServer?.listen();
  return {
    enabled: true,
    serviceName,
    metricsPath,
    appPortMetrics: metricsServer ? undefined : exposition,
    scrapeAuthorization,
    shutdown: once(() =>
      shutdownSdk(sdk, [httpServer, ...instrumentations], metricsServer, spanExport.batched, errorHandler),
    ),
  };
}

async function shutdownSdk(
  sdk: NodeSDK,
  instrumentations: Array<Pick<Instrumentation, 'disable'>>,
  metricsServer: MetricsServer | undefined,
  batchedSpans: readonly AccountedBatchSpanProcessor[],
  errorHandler: { uninstall(): void },
): Promise<void> {
  try {
    const flushed = await settlesWithin(Promise.all([sdk.shutdown(), metricsServer?.close()]), SHUTDOWN_TIMEOUT_MS);
    if (!flushed) {
      diag.warn(
        `OpenTelemetry did not finish exporting within ${SHUTDOWN_TIMEOUT_MS} ms (is the collector reachable?); stopping without it`,
      );
    }
  } catch (error) {
    diag.error(`OpenTelemetry shutdown failed; some telemetry may not have been exported: ${describeError(error)}`);
  } finally {
    // The last word on lost spans, including any still queued if the flush was cut short.
    batchedSpans.forEach((processor) => processor.close());
    errorHandler.uninstall();
    // Unpatch and unregister so that a later start in the same process (tests) begins clean.
    instrumentations.forEach((instrumentation) => instrumentation.disable());
    trace.disable();
    metrics.disable();
    logs.disable();
    propagation.disable();
    context.disable();
    activeTelemetry = undefined;
  }
}

function disabledTelemetry(serviceName: string | undefined, metricsPath: string): StartedTelemetry {
  return {
    enabled: false,
    serviceName,
    metricsPath,
    appPortMetrics: undefined,
    scrapeAuthorization: ScrapeAuthorization.fromEnv(),
    shutdown: async () => {
      activeTelemetry = undefined;
    },
  };
}

/**
 * `OTEL_EXPORTER_PROMETHEUS_PORT` moves `/metrics` to a port of its own (on
 * `OTEL_EXPORTER_PROMETHEUS_HOST`, default every interface). A bad port must not stop the app: it
 * falls back to serving metrics on the app's port, with one warning. With a configuration file, its
 * Prometheus exporter's `port` and `host` say the same (the schema has checked the port).
 */
function createMetricsServer(
  exposition: PrometheusExposition,
  path: string,
  authorization: ScrapeAuthorization,
  file: FileSdkConfig['prometheus'],
): MetricsServer | undefined {
  if (file) {
    return file.port === undefined
      ? undefined
      : new MetricsServer(exposition, { port: file.port, host: file.host, path, authorization });
  }
  const port = readEnvOr(
    () => readEnvPort('OTEL_EXPORTER_PROMETHEUS_PORT'),
    undefined,
    "serving metrics on the app's own port instead",
  );
  if (port === undefined) return undefined;
  return new MetricsServer(exposition, {
    port,
    host: getStringFromEnv('OTEL_EXPORTER_PROMETHEUS_HOST')?.trim(),
    path,
    authorization,
  });
}

/**
 * The SDK's diagnostics, and the warnings about bad settings written before the SDK exists, go nowhere
 * unless a logger is set: set one at once, at `OTEL_LOG_LEVEL` (warnings and errors by default). A
 * level that is not one is itself a warning, and the default. Returns the level set.
 */
function useConsoleForDiagnostics(): DiagLogLevel {
  const logger = new DiagConsoleLogger();
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  const level = getStringFromEnv('OTEL_LOG_LEVEL')?.trim();
  if (level === undefined) return DiagLogLevel.WARN;
  const logLevel = DIAG_LEVELS[level.toUpperCase()];
  if (logLevel === undefined) {
    const known = Object.keys(DIAG_LEVELS).join(', ').toLowerCase();
    diag.warn(`OTEL_LOG_LEVEL="${level}" is not a log level (${known}); using warn`);
    return DiagLogLevel.WARN;
  }
  diag.setLogger(logger, { logLevel, suppressOverrideMessage: true });
  return logLevel;
}

const DIAG_LEVELS: Record<string, DiagLogLevel> = {
  NONE: DiagLogLevel.NONE,
  ERROR: DiagLogLevel.ERROR,
  WARN: DiagLogLevel.WARN,
  INFO: DiagLogLevel.INFO,
  DEBUG: DiagLogLevel.DEBUG,
  VERBOSE: DiagLogLevel.VERBOSE,
  ALL: DiagLogLevel.ALL,
};

/**
 * Whether `work` settles within `timeoutMs`. If it does not, it is left running: a collector that never
 * answers must not hold the process past the shutdown bound. A rejection is passed on.
 */
async function settlesWithin(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function once(action: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= action());
}
