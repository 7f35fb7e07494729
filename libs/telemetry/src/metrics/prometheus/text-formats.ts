import type { Exemplar } from '../exemplars';
import { cumulativeBuckets } from './histogram-buckets';
import type { HistogramPoint, Label, MetricFamily } from './metric-families';

/**
 * The Prometheus text format 0.0.4: `# HELP` and `# TYPE` per family, counters named with `_total`, no
 * exemplars (the format has none), the info-typed `target` as the gauge `target_info`.
 */
export function writePrometheusText(families: readonly MetricFamily[]): string {
  let text = '';
  for (const family of families) {
    const name = sampleName(family);
    text += `# HELP ${name} ${escapeHelp(family.help)}\n# TYPE ${name} ${family.type === 'info' ? 'gauge' : family.type}\n`;
    for (const point of family.points) {
      text += point.histogram
        ? histogramLines(family.name, point.labels, point.histogram, goFloat, false)
        : `${name}${labels(point.labels)} ${number(point.value)}\n`;
    }
  }
  return text;
}

/**
 * OpenMetrics 1.0.0: `# TYPE`, `# UNIT` (base units only) and `# HELP` per family, counter families named
 * without `_total` and their samples with it, the newest exemplar on a counter's sample and on each bucket
 * the newest whose value lies in it, `target` as an info family, `# EOF` last.
 */
export function writeOpenMetrics(families: readonly MetricFamily[]): string {
  let text = '';
  for (const family of families) {
    text += `# TYPE ${family.name} ${family.type}\n`;
    if (family.unit) text += `# UNIT ${family.name} ${family.unit}\n`;
    text += `# HELP ${family.name} ${escapeLabelValue(family.help)}\n`;
    const name = sampleName(family);
    for (const point of family.points) {
      text += point.histogram
        ? histogramLines(family.name, point.labels, point.histogram, canonicalFloat, true)
        : `${name}${labels(point.labels)} ${number(point.value)}${exemplarSuffix(point.exemplar)}\n`;
    }
  }
  return `${text}# EOF\n`;
}

/** The name of a family's one sample per point: `x_total` for a counter, `x_info` for an info. */
function sampleName(family: MetricFamily): string {
  if (family.type === 'counter') return `${family.name}_total`;
  return family.type === 'info' ? `${family.name}_info` : family.name;
}

function histogramLines(
  name: string,
  pointLabels: readonly Label[],
  histogram: HistogramPoint,
  formatBound: (bound: number) => string,
  openMetrics: boolean,
): string {
  const pairs = labelPairs(pointLabels);
  const separator = pairs ? ',' : '';
  let text = '';
  for (const bucket of cumulativeBuckets(histogram, openMetrics ? histogram.exemplars : [])) {
    text += `${name}_bucket{${pairs}${separator}le="${formatBound(bucket.upperBound)}"} ${number(bucket.cumulativeCount)}`;
    text += `${exemplarSuffix(bucket.exemplar)}\n`;
  }
  const braced = pairs ? `{${pairs}}` : '';
  // OpenMetrics has `_count` if and only if `_sum` is there; the text format always has `_count`.
  if (histogram.sum !== undefined) text += `${name}_sum${braced} ${number(histogram.sum)}\n`;
  if (histogram.sum !== undefined || !openMetrics) text += `${name}_count${braced} ${number(histogram.count)}\n`;
  return text;
}

function exemplarSuffix(exemplar: Exemplar | undefined): string {
  if (!exemplar) return '';
  const { traceId, spanId, value, timestamp } = exemplar;
  return ` # {trace_id="${traceId}",span_id="${spanId}"} ${number(value)} ${timestamp.toFixed(3)}`;
}

function labels(list: readonly Label[]): string {
  return list.length === 0 ? '' : `{${labelPairs(list)}}`;
}

/**
 * `name="value",…`, escaped, kept as long as the label set is: the walk hands the same label array for a
 * series at every scrape, so each series' labels are escaped and joined once.
 */
const renderedLabels = new WeakMap<readonly Label[], string>();

function labelPairs(list: readonly Label[]): string {
  let text = renderedLabels.get(list);
  if (text === undefined) {
    text = list.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',');
    renderedLabels.set(list, text);
  }
  return text;
}

/** A sample value: `NaN`, `+Inf` and `-Inf` as Prometheus spells them, else the shortest exact decimal. */
function number(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

/** A bound as Go's `%g` writes it (`0.005`, `1`, `1e+06`): what client_golang's text format has in `le`. */
export function goFloat(value: number): string {
  if (!Number.isFinite(value)) return number(value);
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 6) return String(value);
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** OpenMetrics' canonical number for `le`: Go's `%g`, with `.0` when it has neither point nor exponent. */
export function canonicalFloat(value: number): string {
  const text = goFloat(value);
  return Number.isFinite(value) && !text.includes('.') && !text.includes('e') ? `${text}.0` : text;
}

const LABEL_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n' };
const HELP_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n' };

/** `\`, `"` and line feeds escaped, as label values (and OpenMetrics HELP) must be. */
function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value) ? value.replace(/[\\"\n]/g, (char) => LABEL_ESCAPES[char] ?? char) : value;
}

/** `\` and line feeds escaped, as the text format's HELP must be (quotes stay). */
function escapeHelp(help: string): string {
  return /[\\\n]/.test(help) ? help.replace(/[\\\n]/g, (char) => HELP_ESCAPES[char] ?? char) : help;
}
