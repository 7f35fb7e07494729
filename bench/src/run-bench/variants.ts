/** The apps the bench loads side by side. */
export const VARIANT_IDS = [
  'bare',
  'bare-async-context',
  'otel-disabled',
  'spans-no-export',
  'full-protobuf',
  'full-json',
  'sampled-10pct',
] as const;
export type VariantId = (typeof VARIANT_IDS)[number];

export interface Variant {
  id: VariantId;
  /** Which program runs: the bench's bare Nest app or the built health-api. */
  program: 'bare-app' | 'health-api';
  description: string;
  /** Environment on top of PORT, HOST, NODE_ENV; `sinkUrl` is the discarding OTLP endpoint. */
  env(sinkUrl: string): Record<string, string>;
}

function fullTelemetry(
  id: VariantId,
  sinkUrl: string,
  protocol: 'http/protobuf' | 'http/json',
): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: `${sinkUrl}/${id}`, // the sink counts spans per first path segment
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_TRACES_SAMPLER: 'parentbased_always_on',
  };
}

export const VARIANTS: readonly Variant[] = [
  {
    id: 'bare',
    program: 'bare-app',
    description: 'Nest 11 + express, same routes and JSON, no telemetry package loaded',
    env: () => ({}),
  },
  {
    id: 'bare-async-context',
    program: 'bare-app',
    description: 'the bare app with each request in an AsyncLocalStorage store of its own: the floor of any tracing',
    env: () => ({ BENCH_ASYNC_CONTEXT: 'true' }),
  },
  {
    id: 'otel-disabled',
    program: 'health-api',
    description: 'health-api, OTEL_SDK_DISABLED=true',
    env: () => ({ OTEL_SDK_DISABLED: 'true' }),
  },
  {
    id: 'spans-no-export',
    program: 'health-api',
    description: 'health-api, every request traced, spans dropped (OTEL_TRACES_EXPORTER=none), metrics on',
    env: () => ({ OTEL_TRACES_EXPORTER: 'none', OTEL_TRACES_SAMPLER: 'parentbased_always_on' }),
  },
  {
    id: 'full-protobuf',
    program: 'health-api',
    description: 'health-api, every request traced and exported, OTLP http/protobuf, metrics on',
    env: (sinkUrl) => fullTelemetry('full-protobuf', sinkUrl, 'http/protobuf'),
  },
  {
    id: 'full-json',
    program: 'health-api',
    description: 'health-api, every request traced and exported, OTLP http/json, metrics on',
    env: (sinkUrl) => fullTelemetry('full-json', sinkUrl, 'http/json'),
  },
  {
    id: 'sampled-10pct',
    program: 'health-api',
    description: 'health-api, parentbased_traceidratio 0.1, OTLP http/protobuf, metrics on',
    env: (sinkUrl) => ({
      ...fullTelemetry('sampled-10pct', sinkUrl, 'http/protobuf'),
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    }),
  },
];
