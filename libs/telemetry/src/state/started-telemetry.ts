// The telemetry this process started, and what the rest of the library may know of it. The ground floor:
// it imports nothing of the library, so that the decorators, the Nest module and the SDK's assembly can
// all read it without importing each other. What it holds of Prometheus is the contract the Nest module
// serves, declared here and implemented above (metrics/prometheus), not the classes themselves.

/**
 * What `startTelemetry()` started.
 *
 * @example
 * const telemetry = startTelemetry({ serviceName: 'orders' });
 * process.on('SIGTERM', () => void telemetry.shutdown());
 */
export interface Telemetry {
  /**
   * `false` when `OTEL_SDK_DISABLED=true`: nothing was constructed or patched.
   * @default true
   */
  readonly enabled: boolean;
  /**
   * `OTEL_SERVICE_NAME`, else the `serviceName` given to `startTelemetry()`.
   * @default undefined
   */
  readonly serviceName: string | undefined;
  /** Flushes every pending span, metric and log record and stops the SDK; never rejects. */
  shutdown(): Promise<void>;
}

/** What a scrape of `/metrics` is answered with: the exposition, or a 400 for a `?format=` that is not one. */
export interface ScrapeAnswer {
  status: 200 | 400;
  contentType: string;
  body: string | Uint8Array;
}

/** The exposition served on the app's own port (the library's `PrometheusExposition`). */
export interface AppPortMetrics {
  /** The answer to a scrape, in the format `?format=` or the `Accept` header asks for. */
  scrape(accept: string | undefined, formatParameter: unknown): Promise<ScrapeAnswer>;
  /** The exposition in the Prometheus text format. */
  render(): Promise<string>;
}

/** Who may scrape `/metrics` (the library's `ScrapeAuthorization`). */
export interface ScrapeGate {
  /** Whether a request with this `Authorization` header may scrape. */
  allows(authorization: string | undefined): boolean;
}

/** The started telemetry as the Nest module sees it: where and to whom it serves `/metrics`. */
export interface StartedTelemetry extends Telemetry {
  /** The path Prometheus scrapes. */
  readonly metricsPath: string;
  /**
   * The exposition `TelemetryModule` serves at `metricsPath` on the app's own port, or `undefined`
   * when metrics are served on a port of their own (`OTEL_EXPORTER_PROMETHEUS_PORT`), not served at all
   * (`OTEL_METRICS_EXPORTER` without `prometheus`) or telemetry is disabled.
   */
  readonly appPortMetrics: AppPortMetrics | undefined;
  /** Who may scrape `metricsPath`, on either port: anyone, or holders of `METRICS_BEARER_TOKEN`. */
  readonly scrapeAuthorization: ScrapeGate;
}

export const DEFAULT_METRICS_PATH = '/metrics';

let started: StartedTelemetry | undefined;

/**
 * The telemetry started by `startTelemetry()`, if any.
 *
 * @example
 * await getTelemetry()?.shutdown();
 */
export function getTelemetry(): Telemetry | undefined {
  return started;
}

/** The same, with what the Nest module needs to serve `/metrics`. */
export function getStartedTelemetry(): StartedTelemetry | undefined {
  return started;
}

/**
 * Whether telemetry was started disabled (`OTEL_SDK_DISABLED=true`). The decorators then leave methods
 * as they are, so disabled costs nothing per call; not yet started is not disabled (tests start the SDK
 * after importing the code under test).
 */
export function isTelemetryDisabled(): boolean {
  return started?.enabled === false;
}

/** Records what `startTelemetry()` started; its `shutdown()` calls {@link forgetStartedTelemetry}. */
export function rememberStartedTelemetry(telemetry: StartedTelemetry): StartedTelemetry {
  started = telemetry;
  return telemetry;
}

/** Forgets the started telemetry, so that a later start in the same process (tests) begins clean. */
export function forgetStartedTelemetry(): void {
  started = undefined;
}
