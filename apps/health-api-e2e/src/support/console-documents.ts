/**
 * The documents the console exporters print (`OTEL_TRACES_EXPORTER=console`, `OTEL_METRICS_EXPORTER=console`):
 * one JSON document per line when stdout is not a terminal, as it is not for an app the suites start, in
 * the shape of the Python SDK's console exporters.
 */

export interface ConsoleSpanContext {
  trace_id: string;
  span_id: string;
  trace_state: string;
}

export interface ConsoleSpan {
  name: string;
  context: ConsoleSpanContext;
  kind: string;
  parent_id: string | null;
  start_time: string;
  end_time: string;
  status: { status_code: string; description?: string };
  attributes: Record<string, unknown>;
  events: Array<{ name: string; timestamp: string; attributes: Record<string, unknown> }>;
  links: Array<{ context: ConsoleSpanContext; attributes: Record<string, unknown> }>;
  resource: { attributes: Record<string, unknown>; schema_url: string };
}

export interface ConsoleMetric {
  name: string;
  description: string;
  unit: string;
  data: {
    data_points: Array<Record<string, unknown>>;
    aggregation_temporality?: number;
    is_monotonic?: boolean;
  };
}

export interface ConsoleMetrics {
  resource_metrics: Array<{
    resource: { attributes: Record<string, unknown>; schema_url: string };
    scope_metrics: Array<{
      scope: { name: string; version: string; schema_url: string };
      metrics: ConsoleMetric[];
      schema_url: string;
    }>;
    schema_url: string;
  }>;
}

const SPAN_START = '{"name":';
const METRICS_START = '{"resource_metrics":';

/** Whether a line of output is one of these documents (not a log record). */
export function isConsoleDocument(line: string): boolean {
  return line.startsWith(SPAN_START) || line.startsWith(METRICS_START);
}

/** The lines of `output` that are complete: a document still being written is left for a later look. */
export function completeLines(output: string): string[] {
  return output.split('\n').slice(0, -1);
}

/** Every span document printed so far, parsed (a line that is not JSON throws). */
export function consoleSpans(output: string): ConsoleSpan[] {
  return completeLines(output)
    .filter((line) => line.startsWith(SPAN_START))
    .map((line) => JSON.parse(line) as ConsoleSpan);
}

/** Every metrics document printed so far, parsed (a line that is not JSON throws). */
export function consoleMetrics(output: string): ConsoleMetrics[] {
  return completeLines(output)
    .filter((line) => line.startsWith(METRICS_START))
    .map((line) => JSON.parse(line) as ConsoleMetrics);
}

/** The metrics of a document, with the name of the scope each was recorded under. */
export function metricsOf(document: ConsoleMetrics): Array<ConsoleMetric & { scope: string }> {
  return document.resource_metrics.flatMap((resource) =>
    resource.scope_metrics.flatMap((scope) => scope.metrics.map((metric) => ({ ...metric, scope: scope.scope.name }))),
  );
}
