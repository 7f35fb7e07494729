import type { Variant, VariantId } from './variants';

/**
 * The ablation ladder: the bench's lib-app (the bare app's routes with @obs/telemetry) with one part
 * more at each step, from the SDK started with nothing recorded up to health-api's parts. Each part is
 * switched by a `BENCH_*` variable of the lib-app or by a standard `OTEL_*` one, never by a flag of the
 * library. Run with `--ablation`, all steps interleaved in one run; the marginal CPU per request of a
 * part is the difference between its step and the one before.
 */
export const ABLATION_VARIANT_IDS = [
  'abl-register-unsampled',
  'abl-module-unsampled',
  'abl-server-span',
  'abl-server-span-export',
  'abl-export-fast-flush',
  'abl-classic-histogram-only',
  'abl-span-child',
  'abl-timed',
  'abl-counter-plain',
  'abl-counter-exemplar',
  'abl-logger',
] as const;
export type AblationVariantId = (typeof ABLATION_VARIANT_IDS)[number];

/** One row of the ablation table: what `variant` adds to `base`. */
export interface AblationStep {
  part: string;
  variant: VariantId;
  base: VariantId;
}

function exported(id: VariantId, sinkUrl: string): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: `${sinkUrl}/${id}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_SAMPLER: 'parentbased_always_on',
  };
}

const NOTHING_RECORDED = {
  BENCH_RUNTIME_METRICS: 'false',
  OTEL_TRACES_SAMPLER: 'always_off',
  OTEL_TRACES_EXPORTER: 'none',
};

/** lib-on-bare (module, runtime metrics, SERVER span exported) plus the parts of health-api, cumulatively. */
function upTo(id: VariantId, sinkUrl: string, parts: Record<string, string>): Record<string, string> {
  return { ...exported(id, sinkUrl), ...parts };
}

export const ABLATION_VARIANTS: readonly Variant[] = [
  {
    id: 'abl-register-unsampled',
    program: 'lib-app',
    description:
      'lib-app, startTelemetry() only (no TelemetryModule), no runtime metrics, sampler always_off: context, HTTP instrumentation, HTTP histogram',
    env: () => ({ ...NOTHING_RECORDED, BENCH_TELEMETRY_MODULE: 'false' }),
  },
  {
    id: 'abl-module-unsampled',
    program: 'lib-app',
    description: 'the same with TelemetryModule.forRoot() (route guard, Nest glue)',
    env: () => ({ ...NOTHING_RECORDED }),
  },
  {
    id: 'abl-server-span',
    program: 'lib-app',
    description: 'the same, every SERVER span recorded, not exported (OTEL_TRACES_EXPORTER=none)',
    env: () => ({ BENCH_RUNTIME_METRICS: 'false', OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_EXPORTER: 'none' }),
  },
  {
    id: 'abl-server-span-export',
    program: 'lib-app',
    description: 'the same, SERVER spans exported over OTLP http/protobuf (batch processor defaults)',
    spansPerRequest: 1,
    env: (sinkUrl) => ({ ...exported('abl-server-span-export', sinkUrl), BENCH_RUNTIME_METRICS: 'false' }),
  },
  {
    id: 'abl-export-fast-flush',
    program: 'lib-app',
    description:
      'the same, exported every 100 ms (OTEL_BSP_SCHEDULE_DELAY=100): do spans waiting in the queue survive young-generation GC?',
    spansPerRequest: 1,
    env: (sinkUrl) => ({
      ...exported('abl-export-fast-flush', sinkUrl),
      BENCH_RUNTIME_METRICS: 'false',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    }),
  },
  {
    id: 'abl-classic-histogram-only',
    program: 'lib-app',
    description:
      'abl-server-span-export without the native (exponential) twin of http.server.request.duration (PROMETHEUS_NATIVE_HISTOGRAMS=none)',
    spansPerRequest: 1,
    env: (sinkUrl) => ({
      ...exported('abl-classic-histogram-only', sinkUrl),
      BENCH_RUNTIME_METRICS: 'false',
      PROMETHEUS_NATIVE_HISTOGRAMS: 'none',
    }),
  },
  {
    id: 'abl-span-child',
    program: 'lib-app',
    description: 'lib-on-bare + @Span() on HealthService.check (recorded, exported)',
    spansPerRequest: 2,
    env: (sinkUrl) => upTo('abl-span-child', sinkUrl, { BENCH_SPAN_CHILD: 'true' }),
  },
  {
    id: 'abl-timed',
    program: 'lib-app',
    description: '+ @Timed() on HealthService.check',
    spansPerRequest: 2,
    env: (sinkUrl) => upTo('abl-timed', sinkUrl, { BENCH_SPAN_CHILD: 'true', BENCH_TIMED: 'true' }),
  },
  {
    id: 'abl-counter-plain',
    program: 'lib-app',
    description: '+ healthz_count from the OpenTelemetry meter (no exemplar)',
    spansPerRequest: 2,
    env: (sinkUrl) =>
      upTo('abl-counter-plain', sinkUrl, { BENCH_SPAN_CHILD: 'true', BENCH_TIMED: 'true', BENCH_COUNTER: 'plain' }),
  },
  {
    id: 'abl-counter-exemplar',
    program: 'lib-app',
    description: 'healthz_count from MeterService instead (its exemplar: the latest trace per series)',
    spansPerRequest: 2,
    env: (sinkUrl) =>
      upTo('abl-counter-exemplar', sinkUrl, {
        BENCH_SPAN_CHILD: 'true',
        BENCH_TIMED: 'true',
        BENCH_COUNTER: 'exemplar',
      }),
  },
  {
    id: 'abl-logger',
    program: 'lib-app',
    description: '+ TelemetryLoggerModule (pino) and a debug line per request, below the level: health-api’s parts',
    spansPerRequest: 2,
    env: (sinkUrl) =>
      upTo('abl-logger', sinkUrl, {
        BENCH_SPAN_CHILD: 'true',
        BENCH_TIMED: 'true',
        BENCH_COUNTER: 'exemplar',
        BENCH_LOGGER: 'true',
      }),
  },
];

/** The variants an ablation run loads: the ladder with its ends, bare and health-api. */
export const ABLATION_RUN: readonly VariantId[] = [
  'bare',
  'bare-async-context',
  ...ABLATION_VARIANT_IDS.slice(0, 6),
  'lib-on-bare',
  ...ABLATION_VARIANT_IDS.slice(6),
  'full-protobuf',
];

export const ABLATION_STEPS: readonly AblationStep[] = [
  {
    part: 'async context alone (one AsyncLocalStorage store per request, no SDK)',
    variant: 'bare-async-context',
    base: 'bare',
  },
  {
    part: 'SDK started, nothing recorded: context manager, HTTP server instrumentation, non-recording span, HTTP histogram',
    variant: 'abl-register-unsampled',
    base: 'bare',
  },
  {
    part: 'TelemetryModule: the route guard and Nest glue',
    variant: 'abl-module-unsampled',
    base: 'abl-register-unsampled',
  },
  {
    part: 'SERVER span recorded with its attributes (not exported)',
    variant: 'abl-server-span',
    base: 'abl-module-unsampled',
  },
  {
    part: 'span export: batch, OTLP protobuf encode, POST (1 span)',
    variant: 'abl-server-span-export',
    base: 'abl-server-span',
  },
  {
    part: 'hypothesis: spans held 5 s in the batch queue cost GC (flush every 100 ms instead)',
    variant: 'abl-export-fast-flush',
    base: 'abl-server-span-export',
  },
  {
    part: 'the native-histogram twin of the HTTP duration (a second SDK view: one more attribute hash and aggregation per request)',
    variant: 'abl-server-span-export',
    base: 'abl-classic-histogram-only',
  },
  { part: 'runtime metrics', variant: 'lib-on-bare', base: 'abl-server-span-export' },
  { part: '@Span() child, recorded and exported', variant: 'abl-span-child', base: 'lib-on-bare' },
  { part: '@Timed() histogram record', variant: 'abl-timed', base: 'abl-span-child' },
  { part: 'healthz_count.add(1), plain OpenTelemetry counter', variant: 'abl-counter-plain', base: 'abl-timed' },
  { part: 'exemplar on healthz_count (MeterService)', variant: 'abl-counter-exemplar', base: 'abl-counter-plain' },
  { part: 'logger: pino via TelemetryLoggerModule', variant: 'abl-logger', base: 'abl-counter-exemplar' },
  { part: 'health-api itself against the ladder’s top (should be ≈ 0)', variant: 'full-protobuf', base: 'abl-logger' },
];
