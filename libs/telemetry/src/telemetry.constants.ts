/** Instrumentation scope of what the library records itself: SERVER spans, `@Span()` spans, `@Timed()`, `@Counted()`. */
export const LIBRARY_SCOPE = '@obs/telemetry';

/** Injection token of the OpenTelemetry `Tracer` (see `@InjectTracer()`). */
export const TRACER = Symbol('OBS_TELEMETRY_TRACER');
/** Injection token of the OpenTelemetry `Meter` (see `@InjectMeter()`). */
export const METER = Symbol('OBS_TELEMETRY_METER');
/** Injection token of the resolved `TelemetryModuleOptions`. */
export const TELEMETRY_MODULE_OPTIONS = Symbol('OBS_TELEMETRY_MODULE_OPTIONS');
/** Injection token of the resolved instrumentation scope name of the app's tracer, meter and `MeterService`. */
export const APP_SCOPE = Symbol('OBS_APP_SCOPE');
