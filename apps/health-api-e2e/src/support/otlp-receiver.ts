import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from './loopback-server';

/** One span as received over OTLP/HTTP JSON, attributes flattened to plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  status: { code?: number; message?: string };
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  scope: string;
}

/** One log record as received over OTLP/HTTP JSON. */
export interface ReceivedLogRecord {
  traceId: string;
  spanId: string;
  severityText: string;
  body: unknown;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

interface OtlpLogsRequest {
  resourceLogs?: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    scopeLogs?: Array<{
      logRecords?: Array<{
        traceId?: string;
        spanId?: string;
        severityText?: string;
        body?: OtlpAnyValue;
        attributes?: OtlpKeyValue[];
      }>;
    }>;
  }>;
}

/** One data point of a sum or gauge as received over OTLP/HTTP JSON (the last export of a series is its latest value). */
export interface ReceivedMetricPoint {
  name: string;
  value: number;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

interface OtlpNumberDataPoint {
  asInt?: string | number;
  asDouble?: number;
  attributes?: OtlpKeyValue[];
}

interface OtlpMetricsRequest {
  resourceMetrics?: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    scopeMetrics?: Array<{
      metrics?: Array<{
        name: string;
        sum?: { dataPoints?: OtlpNumberDataPoint[] };
        gauge?: { dataPoints?: OtlpNumberDataPoint[] };
      }>;
    }>;
  }>;
}

interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
interface OtlpTracesRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: Array<{
      scope?: { name?: string };
      spans?: Array<Omit<ReceivedSpan, 'attributes' | 'resource' | 'scope'> & { attributes?: OtlpKeyValue[] }>;
    }>;
  }>;
}

/**
 * A minimal OTLP/HTTP receiver (JSON encoding, `POST /v1/traces`, `/v1/metrics` and `/v1/logs`) on
 * loopback: what a collector would receive from the app, kept in memory for assertions.
 */
export class OtlpReceiver extends LoopbackServer {
  readonly spans: ReceivedSpan[] = [];
  readonly logRecords: ReceivedLogRecord[] = [];
  readonly metricPoints: ReceivedMetricPoint[] = [];
  /** The name of every metric received, whatever its type (histograms included). */
  readonly metricNames = new Set<string>();

  protected handle(request: IncomingMessage, response: ServerResponse): void {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') {
        this.spans.push(...flatten(JSON.parse(body) as OtlpTracesRequest));
      } else if (request.method === 'POST' && request.url === '/v1/metrics') {
        const metrics = JSON.parse(body) as OtlpMetricsRequest;
        this.metricPoints.push(...flattenMetrics(metrics));
        metricNamesOf(metrics).forEach((name) => this.metricNames.add(name));
      } else if (request.method === 'POST' && request.url === '/v1/logs') {
        this.logRecords.push(...flattenLogs(JSON.parse(body) as OtlpLogsRequest));
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  }
}

function flatten(request: OtlpTracesRequest): ReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap((resourceSpans) =>
    (resourceSpans.scopeSpans ?? []).flatMap((scopeSpans) =>
      (scopeSpans.spans ?? []).map((span) => ({
        ...span,
        parentSpanId: span.parentSpanId ?? '',
        attributes: toRecord(span.attributes),
        resource: toRecord(resourceSpans.resource?.attributes),
        scope: scopeSpans.scope?.name ?? '',
      })),
    ),
  );
}

function flattenLogs(request: OtlpLogsRequest): ReceivedLogRecord[] {
  return (request.resourceLogs ?? []).flatMap((resourceLogs) =>
    (resourceLogs.scopeLogs ?? []).flatMap((scopeLogs) =>
      (scopeLogs.logRecords ?? []).map((record) => ({
        traceId: record.traceId ?? '',
        spanId: record.spanId ?? '',
        severityText: record.severityText ?? '',
        body: record.body ? plain(record.body) : undefined,
        attributes: toRecord(record.attributes),
        resource: toRecord(resourceLogs.resource?.attributes),
      })),
    ),
  );
}

function flattenMetrics(request: OtlpMetricsRequest): ReceivedMetricPoint[] {
  return (request.resourceMetrics ?? []).flatMap((resourceMetrics) =>
    (resourceMetrics.scopeMetrics ?? []).flatMap((scopeMetrics) =>
      (scopeMetrics.metrics ?? []).flatMap((metric) =>
        [...(metric.sum?.dataPoints ?? []), ...(metric.gauge?.dataPoints ?? [])].map((point) => ({
          name: metric.name,
          value: Number(point.asInt ?? point.asDouble),
          attributes: toRecord(point.attributes),
          resource: toRecord(resourceMetrics.resource?.attributes),
        })),
      ),
    ),
  );
}

function metricNamesOf(request: OtlpMetricsRequest): string[] {
  return (request.resourceMetrics ?? []).flatMap((resourceMetrics) =>
    (resourceMetrics.scopeMetrics ?? []).flatMap((scopeMetrics) =>
      (scopeMetrics.metrics ?? []).map(({ name }) => name),
    ),
  );
}

function toRecord(attributes: OtlpKeyValue[] = []): Record<string, unknown> {
  return Object.fromEntries(attributes.map(({ key, value }) => [key, plain(value)]));
}

function plain(value: OtlpAnyValue): unknown {
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.stringValue ?? value.doubleValue ?? value.boolValue;
}
