/**
 * Instrumentation scope of what the library records itself: SERVER spans, `@Span()` spans, `@Timed()`, `@Counted()`.
 * @example
 * // in a Prometheus query: http_server_request_duration_seconds_count{otel_scope_name="@obs/telemetry"}
 */
export const LIBRARY_SCOPE = '@obs/telemetry';

/**
 * Injection token of the OpenTelemetry `Tracer` (see `@InjectTracer()`).
 * @example
 * app.get<Tracer>(TRACER).startSpan('warm-up').end();
 */
export const TRACER = Symbol('OBS_TELEMETRY_TRACER');
/**
 * Injection token of the OpenTelemetry `Meter` (see `@InjectMeter()`).
 * @example
 * app.get<Meter>(METER).createCounter('jobs.started').add(1);
 */
export const METER = Symbol('OBS_TELEMETRY_METER');
/** Injection token of the resolved `TelemetryModuleOptions`. */
export const TELEMETRY_MODULE_OPTIONS = Symbol('OBS_TELEMETRY_MODULE_OPTIONS');
/**
 * Injection token of the resolved instrumentation scope name of the app's tracer, meter and `MeterService`.
 * @default the `scopeName` option, else the service name, else `'app'`
 * @example
 * class Jobs { constructor(@Inject(APP_SCOPE) private readonly scope: string) {} }
 */
export const APP_SCOPE = Symbol('OBS_APP_SCOPE');
