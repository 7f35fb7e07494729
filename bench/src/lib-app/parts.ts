/**
 * The parts of @obs/telemetry the lib-app runs, each switched by a `BENCH_*` variable so that the bench's
 * ablation variants can add them one at a time to the same app. The defaults are `lib-on-bare`: what
 * `startTelemetry()` and `TelemetryModule` do by themselves (SERVER span, HTTP histogram, runtime metrics).
 */
export interface LibAppParts {
  /** `TelemetryModule.forRoot()` imported (its route guard and Nest glue); without it, only `startTelemetry()`. */
  telemetryModule: boolean;
  runtimeMetrics: boolean;
  /** `@Span()` on `HealthService.check`: the child span health-api has. */
  spanChild: boolean;
  /** `@Timed()` on `HealthService.check`. */
  timed: boolean;
  /** `healthz_count`: none, a counter from the OpenTelemetry meter, or one from `MeterService` (with its exemplar). */
  counter: 'none' | 'plain' | 'exemplar';
  /** health-api's logger: `TelemetryLoggerModule` (pino) and a `debug` line per `/healthz`, below the level. */
  logger: boolean;
}

export function readLibAppParts(env: NodeJS.ProcessEnv = process.env): LibAppParts {
  const on = (name: string, fallback: boolean): boolean => {
    const value = env[name];
    return value === undefined ? fallback : value === 'true';
  };
  const counter = env['BENCH_COUNTER'] ?? 'none';
  if (counter !== 'none' && counter !== 'plain' && counter !== 'exemplar')
    throw new Error(`BENCH_COUNTER="${counter}": expected none, plain or exemplar`);
  return {
    telemetryModule: on('BENCH_TELEMETRY_MODULE', true),
    runtimeMetrics: on('BENCH_RUNTIME_METRICS', true),
    spanChild: on('BENCH_SPAN_CHILD', false),
    timed: on('BENCH_TIMED', false),
    counter,
    logger: on('BENCH_LOGGER', false),
  };
}

export const PARTS = readLibAppParts();
