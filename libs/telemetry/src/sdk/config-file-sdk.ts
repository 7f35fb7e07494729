import { type AttributeValue, diag, type TextMapPropagator } from '@opentelemetry/api';
import {
  type ConfigurationModel,
  type LoggerProviderConfigModel,
  type MeterProviderConfigModel,
  mergePropagatorCompositeConfig,
  mergeResourceAttributesConfig,
  type PropagatorConfigModel,
  type ResourceConfigModel,
  type SamplerConfigModel,
  type SpanProcessorConfigModel,
  type TracerProviderConfigModel,
} from '@opentelemetry/configuration';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import {
  hostDetector,
  osDetector,
  processDetector,
  type Resource,
  type ResourceDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
  serviceNameEnvDetector,
} from '@opentelemetry/resources';
import { BatchLogRecordProcessor, type LogRecordProcessor, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ViewOptions } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  NoopSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  SimpleSpanProcessor,
  type SpanLimits,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';
import {
  CONFIG_FILE_VARIABLE,
  ConfigFileError,
  parseConfigurationFile,
  readConfigFilePath,
  warnConfigFileNotApplied,
} from './config-file';
import {
  createLogRecordExporter,
  createPushMetricExporter,
  createSpanExporter,
  exportTimeout,
} from './config-file-exporters';
import { type ConfigPath, NotApplied, onlyEntry } from './config-file-model';
import { createViews } from './config-file-views';
import type { PushMetricExport } from './metric-readers';
import { AccountedBatchSpanProcessor, type BatchLimits, type SpanExport } from './span-export';

/**
 * What a configuration file (`OTEL_CONFIG_FILE`) sets up, as the pieces `startTelemetry()` gives the
 * `NodeSDK`: read from the SDK's own model (`@opentelemetry/configuration`'s `parseConfigFile()`), and
 * built as the SDK's `startNodeSdk()` builds them, except where ours go on top: batch span processors are
 * our accounted ones (with the file's limits), and a Prometheus pull exporter is our exposition.
 *
 * Not `startNodeSdk()` itself: it builds and registers the providers in one go, with no way to add a
 * span processor (query redaction), a metric reader (ours) or a view (native histograms) to them.
 */
export interface FileSdkConfig {
  /** `disabled: true`: telemetry starts disabled, as with `OTEL_SDK_DISABLED`. */
  disabled: boolean;
  resource: Resource;
  resourceDetectors: ResourceDetector[];
  sampler: Sampler;
  /** `null`: the file names no propagator, and none is used (the schema's default). */
  propagator: TextMapPropagator | null;
  spanLimits?: SpanLimits;
  spanExport: SpanExport;
  /** `[]` when the file has no `logger_provider`: no logs are exported. */
  logRecordProcessors: LogRecordProcessor[];
  /** The file's Prometheus pull exporter, served by our exposition. */
  prometheus?: { host?: string; port?: number };
  pushMetricReaders: PushMetricExport[];
  views: ViewOptions[];
  /** Settings in the file that are not applied, by path, for one warning. */
  notApplied: readonly ConfigPath[];
}

/**
 * The configuration of the file `OTEL_CONFIG_FILE` names, or `undefined` when it names none or the file
 * cannot be applied: then one line says why (see {@link warnConfigFileNotApplied}) and the environment
 * configures telemetry, so that a bad file costs the file's settings, never the app. Settings in the file
 * that nothing applies are one warning.
 */
export function loadFileSdkConfig(baseResource: Resource): FileSdkConfig | undefined {
  const file = readConfigFilePath();
  if (file === undefined) return undefined;
  try {
    const config = buildFileSdkConfig(parseConfigurationFile(file), baseResource);
    if (config.notApplied.length > 0) {
      diag.warn(`${CONFIG_FILE_VARIABLE}="${file}": these settings are not applied: ${config.notApplied.join(', ')}`);
    }
    return config;
  } catch (error) {
    warnConfigFileNotApplied(file, error);
    return undefined;
  }
}

/** The file's model, built: what the SDK would refuse here is a file that "cannot be applied". */
function buildFileSdkConfig(model: ConfigurationModel, baseResource: Resource): FileSdkConfig {
  try {
    return createFileSdkConfig(model, baseResource);
  } catch (error) {
    throw new ConfigFileError(`cannot be applied: ${(error as Error).message}`);
  }
}

/** Top-level settings applied here or, for `disabled`, by `startTelemetry()`. */
const APPLIED_TOP_LEVEL = [
  'disabled',
  'resource',
  'propagator',
  'tracer_provider',
  'logger_provider',
  'meter_provider',
  'attribute_limits',
];

/**
 * The file's configuration over `baseResource` (ours: the SDK's identity, host, pid, runtime, and the
 * service as the code names it). Throws a {@link ConfigFileError} for what the SDK would refuse.
 */
export function createFileSdkConfig(model: ConfigurationModel, baseResource: Resource): FileSdkConfig {
  const notApplied = new NotApplied();
  notApplied.check(model, '', APPLIED_TOP_LEVEL);
  const tracing = createTracing(model, notApplied);
  const metrics = createMetrics(model.meter_provider, notApplied);
  return {
    disabled: model.disabled === true,
    ...createResource(model.resource, baseResource, notApplied),
    propagator: createPropagator(model.propagator),
    ...tracing,
    logRecordProcessors: createLogRecordProcessors(model.logger_provider, notApplied),
    ...metrics,
    notApplied: notApplied.list(),
  };
}

function createResource(
  model: ResourceConfigModel | undefined,
  base: Resource,
  notApplied: NotApplied,
): Pick<FileSdkConfig, 'resource' | 'resourceDetectors'> {
  notApplied.check(model, '/resource', ['attributes', 'attributes_list', 'schema_url', 'detection/development']);
  const attributes = Object.fromEntries(
    (mergeResourceAttributesConfig(model?.attributes, model?.attributes_list) ?? [])
      .filter((attribute) => attribute.value !== null)
      .map((attribute) => [attribute.name, attribute.value as AttributeValue]),
  );
  const resource = base.merge(resourceFromAttributes(attributes, { schemaUrl: model?.schema_url ?? undefined }));
  const detection = model?.['detection/development'];
  notApplied.check(detection, '/resource/detection/development', ['detectors']);
  const resourceDetectors = (detection?.detectors ?? []).flatMap((detector, index) => {
    const path = `/resource/detection/development/detectors/${index}`;
    const [name] = onlyEntry(detector, path);
    const known = DETECTORS[name];
    if (!known) notApplied.check(detector, path, []);
    return known ?? [];
  });
  // Detected attributes are merged over the resource: the file's own attributes must still win.
  return { resource, resourceDetectors: [...resourceDetectors, { detect: () => ({ attributes }) }] };
}

const DETECTORS: Record<string, ResourceDetector[]> = {
  host: [hostDetector, osDetector],
  process: [processDetector],
  service: [serviceNameEnvDetector, serviceInstanceIdDetector],
};

const PROPAGATORS: Record<string, () => TextMapPropagator> = {
  tracecontext: () => new W3CTraceContextPropagator(),
  baggage: () => new W3CBaggagePropagator(),
  b3: () => new B3Propagator(),
  b3multi: () => new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
};

function createPropagator(model: PropagatorConfigModel | undefined): TextMapPropagator | null {
  const entries = mergePropagatorCompositeConfig(model?.composite, model?.composite_list) ?? [];
  const names = [...new Set(entries.map((entry, index) => onlyEntry(entry, `/propagator/composite/${index}`)[0]))];
  if (names.includes('none') || names.length === 0) return null;
  const propagators = names.map((name) => {
    const create = PROPAGATORS[name];
    if (!create) {
      throw new ConfigFileError(
        `/propagator: "${name}" is not supported (supported: ${Object.keys(PROPAGATORS).join(', ')}, none)`,
      );
    }
    return create();
  });
  return new CompositePropagator({ propagators });
}

function createTracing(
  model: ConfigurationModel,
  notApplied: NotApplied,
): Pick<FileSdkConfig, 'sampler' | 'spanLimits' | 'spanExport'> {
  const provider: TracerProviderConfigModel | undefined = model.tracer_provider;
  notApplied.check(provider, '/tracer_provider', ['processors', 'limits', 'sampler']);
  const spanExport = createSpanProcessors(provider?.processors ?? []);
  const limits = provider?.limits;
  const shared = model.attribute_limits;
  return {
    sampler: createSampler(provider?.sampler, '/tracer_provider/sampler') ?? defaultSampler(),
    spanLimits: {
      attributeValueLengthLimit:
        limits?.attribute_value_length_limit ?? shared?.attribute_value_length_limit ?? undefined,
      attributeCountLimit: limits?.attribute_count_limit ?? shared?.attribute_count_limit ?? undefined,
      eventCountLimit: limits?.event_count_limit ?? undefined,
      linkCountLimit: limits?.link_count_limit ?? undefined,
      attributePerEventCountLimit: limits?.event_attribute_count_limit ?? undefined,
      attributePerLinkCountLimit: limits?.link_attribute_count_limit ?? undefined,
    },
    // No processor still gets a no-op one, as with OTEL_TRACES_EXPORTER=none: spans keep real ids for
    // log correlation and propagation.
    spanExport: spanExport.processors.length > 0 ? spanExport : { processors: [new NoopSpanProcessor()], batched: [] },
  };
}

function createSpanProcessors(models: readonly SpanProcessorConfigModel[]): SpanExport {
  const batched: AccountedBatchSpanProcessor[] = [];
  const processors = models.map((model, index): SpanProcessor => {
    const path = `/tracer_provider/processors/${index}`;
    const [name, props] = onlyEntry(model, path);
    const processor = props as NonNullable<SpanProcessorConfigModel['batch']>;
    if (name === 'simple') return new SimpleSpanProcessor({ exporter: createSpanExporter(processor.exporter, path) });
    if (name !== 'batch')
      throw new ConfigFileError(`${path}: span processor "${name}" is not supported (batch, simple)`);
    const exporter = createSpanExporter(processor.exporter, `${path}/batch/exporter`);
    const accounted = new AccountedBatchSpanProcessor(
      exporter,
      batchLimits(processor, `${path}/batch`),
      'max_queue_size',
    );
    batched.push(accounted);
    return accounted;
  });
  return { processors, batched };
}

/**
 * The file's batch limits, with the schema's defaults (the `OTEL_BSP_*` variables are the environment's
 * way to say the same, and do not apply). As for `OTEL_BSP_*`, the default batch fits a smaller queue.
 */
function batchLimits(model: NonNullable<SpanProcessorConfigModel['batch']>, path: ConfigPath): BatchLimits {
  const maxQueueSize = model.max_queue_size ?? 2048;
  return {
    maxQueueSize,
    maxExportBatchSize: model.max_export_batch_size ?? Math.min(512, maxQueueSize),
    scheduledDelayMillis: model.schedule_delay ?? 5000,
    exportTimeoutMillis: exportTimeout(model.export_timeout, `${path}/export_timeout`) ?? 30_000,
  };
}

/** The SDK's default when the file names no sampler. */
function defaultSampler(): Sampler {
  return new ParentBasedSampler({ root: new AlwaysOnSampler() });
}

function createSampler(model: SamplerConfigModel | null | undefined, path: ConfigPath): Sampler | undefined {
  if (!model) return undefined;
  const [name, props] = onlyEntry(model, path);
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'trace_id_ratio_based':
      return new TraceIdRatioBasedSampler((props as { ratio?: number | null } | null)?.ratio ?? 1);
    case 'parent_based': {
      const parent = (props ?? {}) as NonNullable<SamplerConfigModel['parent_based']>;
      const child = (key: keyof typeof parent) => createSampler(parent[key], `${path}/parent_based/${key}`);
      return new ParentBasedSampler({
        root: child('root') ?? new AlwaysOnSampler(),
        remoteParentSampled: child('remote_parent_sampled'),
        remoteParentNotSampled: child('remote_parent_not_sampled'),
        localParentSampled: child('local_parent_sampled'),
        localParentNotSampled: child('local_parent_not_sampled'),
      });
    }
    default:
      throw new ConfigFileError(
        `${path}: sampler "${name}" is not supported (always_on, always_off, trace_id_ratio_based, parent_based)`,
      );
  }
}

function createLogRecordProcessors(
  provider: LoggerProviderConfigModel | undefined,
  notApplied: NotApplied,
): LogRecordProcessor[] {
  // Log record limits are the environment's (`OTEL_LOGRECORD_*`): NodeSDK takes no others.
  notApplied.check(provider, '/logger_provider', ['processors']);
  return (provider?.processors ?? []).map((model, index) => {
    const path = `/logger_provider/processors/${index}`;
    const [name, props] = onlyEntry(model, path);
    const processor = props as NonNullable<(typeof model)['batch']>;
    const exporter = createLogRecordExporter(processor.exporter, `${path}/${name}/exporter`);
    if (name === 'simple') return new SimpleLogRecordProcessor({ exporter });
    if (name !== 'batch')
      throw new ConfigFileError(`${path}: log processor "${name}" is not supported (batch, simple)`);
    return new BatchLogRecordProcessor({
      exporter,
      maxQueueSize: processor.max_queue_size ?? undefined,
      maxExportBatchSize: processor.max_export_batch_size ?? undefined,
      scheduledDelayMillis: processor.schedule_delay ?? undefined,
      exportTimeoutMillis: exportTimeout(processor.export_timeout, `${path}/batch/export_timeout`),
    });
  });
}

function createMetrics(
  provider: MeterProviderConfigModel | undefined,
  notApplied: NotApplied,
): Pick<FileSdkConfig, 'prometheus' | 'pushMetricReaders' | 'views'> {
  // Exemplars are ours (see the README): the SDK's exemplar filter has nothing to act on.
  notApplied.check(provider, '/meter_provider', ['readers', 'views']);
  let prometheus: FileSdkConfig['prometheus'];
  const pushMetricReaders: PushMetricExport[] = [];
  (provider?.readers ?? []).forEach((reader, index) => {
    const path = `/meter_provider/readers/${index}`;
    const [kind, props] = onlyEntry(reader, path);
    if (kind === 'periodic') {
      const periodic = props as NonNullable<typeof reader.periodic>;
      notApplied.check(periodic, `${path}/periodic`, ['exporter', 'interval', 'timeout']);
      const exportIntervalMillis = periodic.interval ?? 60_000;
      pushMetricReaders.push({
        exporter: createPushMetricExporter(periodic.exporter, `${path}/periodic/exporter`),
        exportIntervalMillis,
        // The SDK's reader refuses a timeout longer than the interval, as it does for the environment's.
        exportTimeoutMillis: Math.min(
          exportTimeout(periodic.timeout, `${path}/periodic/timeout`) ?? 30_000,
          exportIntervalMillis,
        ),
      });
      return;
    }
    const pull = props as NonNullable<typeof reader.pull>;
    notApplied.check(pull, `${path}/pull`, ['exporter']);
    const [name, exporter] = onlyEntry(pull.exporter, `${path}/pull/exporter`);
    if (name !== 'prometheus/development' || prometheus) {
      throw new ConfigFileError(`${path}/pull/exporter: only one prometheus/development exporter is supported`);
    }
    const options = (exporter ?? {}) as { host?: string | null; port?: number | null };
    notApplied.check(options, `${path}/pull/exporter/prometheus/development`, ['host', 'port']);
    prometheus = { host: options.host ?? undefined, port: options.port ?? undefined };
  });
  return { prometheus, pushMetricReaders, views: createViews(provider?.views, '/meter_provider/views') };
}
