import type { Attributes } from '@opentelemetry/api';
import type { ExemplarSeries } from '../exemplars';

export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** Whether a scraper's `Accept` header asks for OpenMetrics (Prometheus does by default). */
export function acceptsOpenMetrics(accept: string | undefined): boolean {
  return accept?.includes('application/openmetrics-text') ?? false;
}

/** Labels the serializer adds beside an instrument's attributes, and the bucket bound. */
const NON_ATTRIBUTE_LABELS = new Set(['otel_scope_name', 'otel_scope_version', 'le']);

/**
 * The Prometheus text exposition rewritten as OpenMetrics, with exemplars: counter families are named
 * without `_total` (their samples keep it), `# UNIT` lines of OpenTelemetry units (not OpenMetrics
 * words) are left out, `# EOF` ends it, and each counter sample or histogram bucket that has an
 * exemplar gets ` # {trace_id="…",span_id="…"} value timestamp` — the link from a metric to a trace.
 */
export function toOpenMetrics(text: string, exemplars: Iterable<ExemplarSeries>): string {
  const bySample = indexExemplars(exemplars);
  // A histogram's exemplar goes on one bucket only, the first that holds its value.
  const placed = new Set<ExemplarSeries>();
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# UNIT ')) continue;
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) {
      lines.push(
        line.replace(
          /^(# (?:HELP|TYPE) \S+)_total( counter$| )/,
          (_match, head: string, tail: string) => `${head}${tail}`,
        ),
      );
      continue;
    }
    lines.push(withExemplar(line, bySample, placed));
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

interface Candidate {
  series: ExemplarSeries;
  labels: string;
}

/** Exemplars by the sample name they attach to (`x_total` for counters, `x_bucket` for histograms). */
function indexExemplars(exemplars: Iterable<ExemplarSeries>): Map<string, Candidate[]> {
  const index = new Map<string, Candidate[]>();
  for (const series of exemplars) {
    const sample = `${series.family}_${series.kind === 'counter' ? 'total' : 'bucket'}`;
    const candidates = index.get(sample) ?? [];
    candidates.push({ series, labels: labelKey(attributeLabels(series.attributes), series.scope) });
    index.set(sample, candidates);
  }
  return index;
}

function withExemplar(line: string, bySample: Map<string, Candidate[]>, placed: Set<ExemplarSeries>): string {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
  const candidates = match && bySample.get(match[1]);
  if (!match || !candidates) return line;
  const labels = parseLabels(match[2] ?? '');
  const key = labelKey(labels, labels.get('otel_scope_name') ?? '');
  const found = candidates.find(
    ({ series, labels: wanted }) => wanted === key && !placed.has(series) && fits(series, labels.get('le')),
  );
  if (!found) return line;
  placed.add(found.series);
  const { traceId, spanId, value, timestamp } = found.series.exemplar;
  return `${line} # {trace_id="${traceId}",span_id="${spanId}"} ${value} ${timestamp.toFixed(3)}`;
}

/** Counters take the exemplar on their sample; histograms on a bucket whose bound holds the value. */
function fits(series: ExemplarSeries, le: string | undefined): boolean {
  if (series.kind === 'counter') return true;
  return le !== undefined && series.exemplar.value <= (le === '+Inf' ? Infinity : Number(le));
}

function attributeLabels(attributes: Attributes): Map<string, string> {
  return new Map(
    Object.entries(attributes)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name.replace(/[^a-zA-Z0-9_]/g, '_'), escapeLabelValue(String(value))]),
  );
}

function parseLabels(text: string): Map<string, string> {
  const labels = new Map<string, string>();
  for (const [, name, value] of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels.set(name, value);
  return labels;
}

/** The series identity of a sample: its attribute labels, sorted, and its scope. */
function labelKey(labels: Map<string, string>, scope: string): string {
  const attributes = [...labels]
    .filter(([name]) => !NON_ATTRIBUTE_LABELS.has(name))
    .sort(([a], [b]) => a.localeCompare(b));
  return `${scope}\u0000${JSON.stringify(attributes)}`;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
