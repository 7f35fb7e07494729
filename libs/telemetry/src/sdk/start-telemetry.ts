import { context, diag, DiagConsoleLogger, DiagLogLevel, metrics, propagation, trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { envDetector } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { MetricsServer } from '../metrics/metrics-server';
import { PrometheusExposition } from '../metrics/prometheus-exposition';
import { type Env, hasOtlpEndpoint, readEnv, readEnvBoolean, readEnvPort } from './env';
import { createHttpInstrumentation } from './http-instrumentation';
import { createBaseResource } from './resource';
import { createSpanProcessors } from './span-processors';
import { DEFAULT_METRICS_PATH, type Telemetry } from './telemetry';
import type { StartTelemetryOptions } from './telemetry-options';
import { validateStartOptions } from './validate-options';

let activeTelemetry: Telemetry | undefined;

/**
 * Starts OpenTelemetry for this process: call it before Nest, express or `http` are loaded (first
 * import of the app's `main.ts`), because instrumentation only patches modules loaded after it.
 *
 * Configured by the standard `OTEL_*` environment variables; see the library's README.
 * A second call returns the telemetry already started.
 */
export function startTelemetry(options: StartTelemetryOptions = {}): Telemetry {
  if (activeTelemetry) return activeTelemetry;
  validateStartOptions(options);
  const env = process.env;
  useConsoleForDiagnostics(env);
  const serviceName = readEnv(env, 'OTEL_SERVICE_NAME') ?? options.serviceName;
  const metricsPath = options.metricsPath ?? DEFAULT_METRICS_PATH;
  // Disabled means nothing is constructed: instrumentations patch modules in their constructors.
  activeTelemetry = readEnvBoolean(env, 'OTEL_SDK_DISABLED')
    ? disabledTelemetry(serviceName, metricsPath)
    : startSdk(env, serviceName, metricsPath, options);
  return activeTelemetry;
}

/** The telemetry started by {@link startTelemetry}, if any. */
export function getTelemetry(): Telemetry | undefined {
  return activeTelemetry;
}

function startSdk(env: Env, serviceName: string | undefined, metricsPath: string, options: StartTelemetryOptions): Telemetry {
  const exposition = new PrometheusExposition();
  const metricsServer = createMetricsServer(env, exposition, metricsPath);
  const instrumentations: Instrumentation[] = [
    createHttpInstrumentation(metricsPath),
    ...(options.runtimeMetrics === false ? [] : [new RuntimeNodeInstrumentation()]),
    ...(options.instrumentations ?? []),
  ];
  const sdk = new NodeSDK({
    resource: createBaseResource(options),
    resourceDetectors: [envDetector],
    spanProcessors: options.spanProcessors ?? createSpanProcessors(env),
    metricReaders: [exposition.reader, ...(options.metricReaders ?? [])],
    // The SDK would default log export to OTLP; without an endpoint that only produces errors.
    logRecordProcessors:
      options.logRecordProcessors ?? (readEnv(env, 'OTEL_LOGS_EXPORTER') || hasOtlpEndpoint(env, 'LOGS') ? undefined : []),
    instrumentations,
  });
  sdk.start();
  void metricsServer?.listen();
  return {
    enabled: true,
    serviceName,
    metricsPath,
    appPortMetrics: metricsServer ? undefined : exposition,
    shutdown: once(() => shutdownSdk(sdk, instrumentations, metricsServer)),
  };
}

async function shutdownSdk(sdk: NodeSDK, instrumentations: Instrumentation[], metricsServer?: MetricsServer): Promise<void> {
  try {
    await Promise.all([sdk.shutdown(), metricsServer?.close()]);
  } catch (error) {
    diag.error('OpenTelemetry shutdown failed; some telemetry may not have been exported', error);
  } finally {
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

function disabledTelemetry(serviceName: string | undefined, metricsPath: string): Telemetry {
  return {
    enabled: false,
    serviceName,
    metricsPath,
    appPortMetrics: undefined,
    shutdown: async () => {
      activeTelemetry = undefined;
    },
  };
}

/**
 * `OTEL_EXPORTER_PROMETHEUS_PORT` moves `/metrics` to a port of its own (on
 * `OTEL_EXPORTER_PROMETHEUS_HOST`, default every interface). A bad port must not stop the app: it
 * falls back to serving metrics on the app's port, with one warning.
 */
function createMetricsServer(env: Env, exposition: PrometheusExposition, path: string): MetricsServer | undefined {
  let port: number | undefined;
  try {
    port = readEnvPort(env, 'OTEL_EXPORTER_PROMETHEUS_PORT');
  } catch (error) {
    diag.warn(`${(error as Error).message}; serving metrics on the app's own port instead`);
  }
  if (port === undefined) return undefined;
  return new MetricsServer(exposition, { port, host: readEnv(env, 'OTEL_EXPORTER_PROMETHEUS_HOST'), path });
}

/**
 * The SDK's diagnostics (export failures, bad configuration) go nowhere unless a logger is set.
 * Warnings and errors are shown by default; `OTEL_LOG_LEVEL` sets another level (the SDK reads it).
 */
function useConsoleForDiagnostics(env: Env): void {
  if (readEnv(env, 'OTEL_LOG_LEVEL') === undefined) {
    diag.setLogger(new DiagConsoleLogger(), { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  }
}

function once(action: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= action());
}
