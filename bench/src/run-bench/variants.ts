import { join } from 'node:path';
import type { AblationVariantId } from './ablation-variants';
import type { PeerVariantId } from './peer-variants';

/** The apps the bench loads side by side. */
export const VARIANT_IDS = [
  'bare',
  'bare-async-context',
  'otel-disabled',
  'spans-no-export',
  'full-protobuf',
  'full-json',
  'sampled-10pct',
  'lib-on-bare',
  'bare-fastify',
  'full-protobuf-fastify',
] as const;
/**
 * A health-api variant run from another build of health-api (`--health-api-build <label>=<dir>`), e.g. an
 * older commit's: `full-protobuf@before`.
 */
export type OtherBuildVariantId = `${(typeof VARIANT_IDS)[number]}@${string}`;
export type VariantId = (typeof VARIANT_IDS)[number] | PeerVariantId | AblationVariantId | OtherBuildVariantId;

export interface Variant {
  id: VariantId;
  /**
   * Which program runs: the bench's bare Nest app, the built health-api, or the bench's lib-app (the bare
   * app's routes with @obs/telemetry, its parts switched by `BENCH_*` variables).
   */
  program: 'bare-app' | 'health-api' | 'lib-app';
  /** The script that runs, when not the program's usual one (health-api from another build). */
  script?: string;
  description: string;
  /** Environment on top of PORT, HOST, NODE_ENV; `sinkUrl` is the discarding OTLP endpoint. */
  env(sinkUrl: string): Record<string, string>;
  /** Node options before the script (a peer agent's `--require`), given the directory the peers are installed in. */
  nodeArgs?(peersDir: string): string[];
  /** The sink's key for this variant's exports when it is not the id (an agent whose URL the sink cannot prefix). */
  sinkKey?: string;
  /** Spans the sink must receive per request ("nothing lost"); unset where the count is the agent's own. */
  spansPerRequest?: number;
  /**
   * The bare app its req/s ratio is taken against: its own platform's (`bare-fastify` for a variant on
   * Fastify, which serves bare Nest about twice as fast, so the same telemetry cost weighs twice as much).
   * Default `bare` (express).
   */
  ratioBase?: VariantId;
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
    description: 'Nest 12 + express, same routes and JSON, no telemetry package loaded',
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
    spansPerRequest: 2,
    env: (sinkUrl) => fullTelemetry('full-protobuf', sinkUrl, 'http/protobuf'),
  },
  {
    id: 'full-json',
    program: 'health-api',
    description: 'health-api, every request traced and exported, OTLP http/json, metrics on',
    spansPerRequest: 2,
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
  {
    id: 'lib-on-bare',
    program: 'lib-app',
    description:
      'the bare app with @obs/telemetry and nothing else: TelemetryModule (SERVER span, HTTP histogram, runtime metrics), OTLP http/protobuf',
    spansPerRequest: 1,
    env: (sinkUrl) => fullTelemetry('lib-on-bare', sinkUrl, 'http/protobuf'),
  },
  {
    id: 'bare-fastify',
    program: 'bare-app',
    description: 'Nest 12 + Fastify, same routes and JSON, no telemetry package loaded: the base of the Fastify ratios',
    ratioBase: 'bare-fastify',
    env: () => ({ BENCH_PLATFORM: 'fastify' }),
  },
  {
    id: 'full-protobuf-fastify',
    program: 'health-api',
    description: 'health-api on Fastify (HTTP_PLATFORM=fastify), as full-protobuf; ratio to bare-fastify',
    ratioBase: 'bare-fastify',
    spansPerRequest: 2,
    env: (sinkUrl) => ({
      ...fullTelemetry('full-protobuf-fastify', sinkUrl, 'http/protobuf'),
      HTTP_PLATFORM: 'fastify',
    }),
  },
];

/** A build of health-api other than dist/apps/health-api, given to `--health-api-build <label>=<dir>`. */
export interface HealthApiBuild {
  label: string;
  /** The directory of its bundle (main.js), with the node_modules it resolves from above it. */
  dir: string;
}

/**
 * A health-api variant run from another build: its own id (`<variant>@<label>`) and so its own sink key,
 * everything else as the variant. Other programs are not health-api builds and stay as they are.
 */
export function fromBuild(variant: Variant, build: HealthApiBuild): Variant {
  if (variant.program !== 'health-api') return variant;
  const id: OtherBuildVariantId = `${variant.id as (typeof VARIANT_IDS)[number]}@${build.label}`;
  return {
    ...variant,
    id,
    script: join(build.dir, 'main.js'),
    description: `${variant.description}; the health-api built in ${build.dir} (${build.label})`,
    env: (sinkUrl) => {
      const env = variant.env(sinkUrl);
      // The sink counts spans per first path segment: each build exports under its own id.
      return env['OTEL_EXPORTER_OTLP_ENDPOINT'] ? { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: `${sinkUrl}/${id}` } : env;
    },
  };
}
