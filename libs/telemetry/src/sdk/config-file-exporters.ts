import {
  type LogRecordExporterConfigModel,
  mergeHeadersConfig,
  type PushMetricExporterConfigModel,
  type SpanExporterConfigModel,
} from '@opentelemetry/configuration';
import { AggregationTemporalityPreference } from '@opentelemetry/exporter-metrics-otlp-http';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import {
  createEmptyMetadata,
  createInsecureCredentials,
  createSslCredentials,
} from '@opentelemetry/otlp-grpc-exporter-base';
import { ConsoleLogRecordExporter, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { AggregationType, InstrumentType, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { ConfigFileError } from './config-file';
import { type ConfigPath, onlyEntry } from './config-file-model';
import { ConsoleJsonMetricExporter } from './console-metric-exporter';
import { ConsoleJsonSpanExporter } from './console-span-exporter';
import { createOtlpLogRecordExporter, createOtlpMetricExporter, createOtlpSpanExporter } from './otlp-exporters';

/**
 * The exporters a configuration file names, built the way the SDK's `startNodeSdk()` builds them from a
 * file (its `create*FromConfig` functions are not exported, so their mapping is followed here): OTLP over
 * HTTP (protobuf or JSON) or gRPC, and console (spans and metrics as JSON documents, as the environment's
 * `console` prints them). The other schema names (`otlp_file/development`, a
 * plugin's) are a {@link ConfigFileError} naming where they are.
 */

/** What the OTLP exporters of every signal share: endpoint, headers, compression, timeout, TLS. */
interface OtlpExporterModel {
  endpoint?: string | null;
  headers?: Array<{ name: string; value: string | null }>;
  headers_list?: string | null;
  compression?: string | null;
  timeout?: number | null;
  encoding?: string | null;
  tls?: { ca_file?: string | null; cert_file?: string | null; key_file?: string | null; insecure?: boolean | null };
}

interface OtlpMetricExporterModel extends OtlpExporterModel {
  temporality_preference?: string | null;
  default_histogram_aggregation?: string | null;
}

export function createSpanExporter(model: SpanExporterConfigModel, path: ConfigPath): SpanExporter {
  const [name, props] = onlyEntry(model, path);
  const otlp = props as OtlpExporterModel | null;
  switch (name) {
    case 'otlp_http':
      return createOtlpSpanExporter(httpProtocol(otlp, path), httpOptions(otlp, path));
    case 'otlp_grpc':
      return createOtlpSpanExporter('grpc', grpcOptions(otlp, path));
    case 'console':
      return new ConsoleJsonSpanExporter();
    default:
      throw unknownName('span exporter', name, path);
  }
}

export function createLogRecordExporter(model: LogRecordExporterConfigModel, path: ConfigPath): LogRecordExporter {
  const [name, props] = onlyEntry(model, path);
  const otlp = props as OtlpExporterModel | null;
  switch (name) {
    case 'otlp_http':
      return createOtlpLogRecordExporter(httpProtocol(otlp, path), httpOptions(otlp, path));
    case 'otlp_grpc':
      return createOtlpLogRecordExporter('grpc', grpcOptions(otlp, path));
    case 'console':
      return new ConsoleLogRecordExporter();
    default:
      throw unknownName('log record exporter', name, path);
  }
}

export function createPushMetricExporter(model: PushMetricExporterConfigModel, path: ConfigPath): PushMetricExporter {
  const [name, props] = onlyEntry(model, path);
  const otlp = props as OtlpMetricExporterModel | null;
  const metricOptions = {
    temporalityPreference: temporality(otlp?.temporality_preference, path),
    aggregationPreference: histogramAggregation(otlp?.default_histogram_aggregation, path),
  };
  switch (name) {
    case 'otlp_http':
      return createOtlpMetricExporter(httpProtocol(otlp, path), { ...httpOptions(otlp, path), ...metricOptions });
    case 'otlp_grpc':
      return createOtlpMetricExporter('grpc', { ...grpcOptions(otlp, path), ...metricOptions });
    case 'console':
      return new ConsoleJsonMetricExporter();
    default:
      throw unknownName('metric exporter', name, path);
  }
}

/** The OTLP protocol of an `otlp_http` exporter, by its `encoding`. */
function httpProtocol(props: OtlpExporterModel | null, path: ConfigPath): 'http/json' | 'http/protobuf' {
  const encoding = props?.encoding ?? 'protobuf';
  if (encoding === 'json' || encoding === 'protobuf') return `http/${encoding}`;
  throw new ConfigFileError(`${path}/otlp_http/encoding: "${encoding}" is not json or protobuf`);
}

function httpOptions(props: OtlpExporterModel | null, path: ConfigPath) {
  const tls = props?.tls;
  const tlsPath = `${path}/otlp_http/tls`;
  return {
    ...commonOptions(props, `${path}/otlp_http`),
    headers: mergeHeadersConfig(props?.headers, props?.headers_list),
    httpAgentOptions: tls
      ? {
          ca: readTlsFile(tls.ca_file, `${tlsPath}/ca_file`),
          cert: readTlsFile(tls.cert_file, `${tlsPath}/cert_file`),
          key: readTlsFile(tls.key_file, `${tlsPath}/key_file`),
        }
      : undefined,
  };
}

function grpcOptions(props: OtlpExporterModel | null, path: ConfigPath) {
  const headers = mergeHeadersConfig(props?.headers, props?.headers_list);
  const metadata = headers && Object.keys(headers).length > 0 ? createEmptyMetadata() : undefined;
  for (const [name, value] of Object.entries(headers ?? {})) metadata?.set(name, value);
  return { ...commonOptions(props, `${path}/otlp_grpc`), metadata, credentials: grpcCredentials(props?.tls, path) };
}

function commonOptions(props: OtlpExporterModel | null, path: ConfigPath) {
  return {
    url: props?.endpoint ?? undefined,
    compression: props?.compression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    timeoutMillis: exportTimeout(props?.timeout, `${path}/timeout`),
  };
}

function grpcCredentials(tls: OtlpExporterModel['tls'], path: ConfigPath) {
  if (!tls) return undefined;
  if (tls.insecure) return createInsecureCredentials();
  const tlsPath = `${path}/otlp_grpc/tls`;
  const ca = readTlsFile(tls.ca_file, `${tlsPath}/ca_file`);
  const key = readTlsFile(tls.key_file, `${tlsPath}/key_file`);
  const cert = readTlsFile(tls.cert_file, `${tlsPath}/cert_file`);
  return ca || key || cert ? createSslCredentials(ca, key, cert) : undefined;
}

/** The schema's TLS files are absolute paths; a relative one would depend on the working directory. */
function readTlsFile(file: string | null | undefined, path: ConfigPath): Buffer | undefined {
  if (!file) return undefined;
  if (!isAbsolute(file)) throw new ConfigFileError(`${path}: "${file}" is not an absolute path`);
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ConfigFileError(`${path}: cannot read "${file}" (${(error as Error).message})`);
  }
}

/**
 * A timeout in milliseconds. The schema's 0 means none, which the JS exporters cannot do (they would
 * time out at once): said rather than misapplied, as the SDK does.
 */
export function exportTimeout(timeout: number | null | undefined, path: ConfigPath): number | undefined {
  if (timeout === null || timeout === undefined) return undefined;
  if (timeout === 0) throw new ConfigFileError(`${path}: 0 (no limit) is not supported; give a number of milliseconds`);
  return timeout;
}

const TEMPORALITIES: Record<string, AggregationTemporalityPreference> = {
  cumulative: AggregationTemporalityPreference.CUMULATIVE,
  delta: AggregationTemporalityPreference.DELTA,
  low_memory: AggregationTemporalityPreference.LOWMEMORY,
};

function temporality(value: string | null | undefined, path: ConfigPath) {
  if (value === null || value === undefined) return undefined;
  const known = TEMPORALITIES[value];
  if (known === undefined) throw new ConfigFileError(`${path}: unknown temporality_preference "${value}"`);
  return known;
}

function histogramAggregation(value: string | null | undefined, path: ConfigPath) {
  if (value === null || value === undefined) return undefined;
  const type =
    value === 'base2_exponential_bucket_histogram'
      ? AggregationType.EXPONENTIAL_HISTOGRAM
      : value === 'explicit_bucket_histogram'
        ? AggregationType.EXPLICIT_BUCKET_HISTOGRAM
        : undefined;
  if (type === undefined) throw new ConfigFileError(`${path}: unknown default_histogram_aggregation "${value}"`);
  return (instrumentType: InstrumentType) =>
    instrumentType === InstrumentType.HISTOGRAM ? { type } : { type: AggregationType.DEFAULT };
}

function unknownName(kind: string, name: string, path: ConfigPath): ConfigFileError {
  return new ConfigFileError(`${path}: ${kind} "${name}" is not supported (supported: otlp_http, otlp_grpc, console)`);
}
