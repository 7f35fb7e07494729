import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Variant } from './variants';

/**
 * The tracing agents a team would pick instead of @obs/telemetry, each preloaded into the same bare
 * Nest app as its documentation says, with its defaults, every trace kept, exporting to the bench's
 * sink (which counts what each protocol carries) and nothing probing the network beyond loopback.
 * Installed from bench/peers (pinned, its own lockfile), apart from the workspace's dependencies.
 */
export const PEER_VARIANT_IDS = [
  'peer-dd-trace',
  'peer-elastic-apm',
  'peer-otel-http-express-nest',
  'peer-otel-auto',
  'peer-sentry',
] as const;
export type PeerVariantId = (typeof PEER_VARIANT_IDS)[number];

const SERVICE = 'bench-bare-app';

/**
 * `--require` of an agent's entry point, resolved from bench/peers as the package's own `exports` map says
 * (auto-instrumentations-node 0.82 moved `register` from build/src to dist, behind `exports`).
 */
function preload(peersDir: string, specifier: string): string[] {
  return ['--require', createRequire(join(peersDir, 'package.json')).resolve(specifier)];
}

/** OpenTelemetry's zero-code setup (`auto-instrumentations-node/register`), OTLP http/protobuf, as our variants. */
function otelAuto(id: PeerVariantId, sinkUrl: string): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: SERVICE,
    OTEL_EXPORTER_OTLP_ENDPOINT: `${sinkUrl}/${id}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_TRACES_SAMPLER: 'parentbased_always_on',
    // The default, `all`, asks cloud metadata endpoints on start-up: off a cloud, that is a timeout, not a cost.
    OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
  };
}

export const PEER_VARIANTS: readonly Variant[] = [
  {
    id: 'peer-dd-trace',
    program: 'bare-app',
    description: 'the bare app under dd-trace 6 (`--require dd-trace/init`), traces to the sink as the agent API v0.4',
    // dd-trace posts to /v0.4/traces at the agent URL's root, whatever its path: the sink keys it by protocol.
    sinkKey: 'dd-trace',
    nodeArgs: (peersDir) => preload(peersDir, 'dd-trace/init'),
    env: (sinkUrl) => ({
      DD_TRACE_AGENT_URL: sinkUrl,
      DD_SERVICE: SERVICE,
      DD_ENV: 'bench',
      DD_TRACE_STARTUP_LOGS: 'false',
      DD_INSTRUMENTATION_TELEMETRY_ENABLED: 'false',
      DD_REMOTE_CONFIGURATION_ENABLED: 'false',
    }),
  },
  {
    id: 'peer-elastic-apm',
    program: 'bare-app',
    description: 'the bare app under elastic-apm-node 4 (`--require elastic-apm-node/start`), intake v2 to the sink',
    nodeArgs: (peersDir) => preload(peersDir, 'elastic-apm-node/start'),
    env: (sinkUrl) => ({
      ELASTIC_APM_SERVER_URL: `${sinkUrl}/peer-elastic-apm`,
      ELASTIC_APM_SERVICE_NAME: SERVICE,
      ELASTIC_APM_CENTRAL_CONFIG: 'false',
      ELASTIC_APM_CLOUD_PROVIDER: 'none',
      ELASTIC_APM_LOG_LEVEL: 'warn',
    }),
  },
  // On Nest 12 this one records the HTTP server span only: instrumentation-nestjs-core 0.71 admits
  // @nestjs/core <12, and Nest 12's ES-module platform-express imports express past the require hook
  // that instrumentation-express patches through. `peer-otel-auto` adds instrumentation-router's spans.
  {
    id: 'peer-otel-http-express-nest',
    program: 'bare-app',
    description:
      'the bare app under OpenTelemetry auto-instrumentations-node 0.82 limited to http, express and nestjs-core, OTLP http/protobuf',
    nodeArgs: (peersDir) => preload(peersDir, '@opentelemetry/auto-instrumentations-node/register'),
    env: (sinkUrl) => ({
      ...otelAuto('peer-otel-http-express-nest', sinkUrl),
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express,nestjs-core',
    }),
  },
  {
    id: 'peer-otel-auto',
    program: 'bare-app',
    description:
      'the bare app under OpenTelemetry auto-instrumentations-node 0.82, every instrumentation (its default), OTLP http/protobuf',
    nodeArgs: (peersDir) => preload(peersDir, '@opentelemetry/auto-instrumentations-node/register'),
    env: (sinkUrl) => otelAuto('peer-otel-auto', sinkUrl),
  },
  {
    id: 'peer-sentry',
    program: 'bare-app',
    description:
      'the bare app under @sentry/node 11 (`Sentry.init()` preloaded with --import), tracesSampleRate 1, envelopes to the sink',
    nodeArgs: (peersDir) => ['--import', pathToFileURL(join(peersDir, 'sentry-init.mjs')).href],
    env: (sinkUrl) => {
      const { host } = new URL(sinkUrl);
      // DSN `<scheme>://<key>@<host>/<path>/<project>`: envelopes go to `/<path>/api/<project>/envelope/`.
      return { SENTRY_DSN: `http://bench@${host}/peer-sentry/1`, SENTRY_TRACES_SAMPLE_RATE: '1' };
    },
  },
];
