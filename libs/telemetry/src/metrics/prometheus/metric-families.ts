import { type Attributes, type AttributeValue, diag } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  type ExponentialHistogram,
  type Histogram,
  type MetricData,
  type ResourceMetrics,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import type { Exemplar } from '../exemplars';
import { NATIVE_HISTOGRAM_STREAM_SUFFIX } from './native-histograms';
import { prometheusName, sanitizeLabelName } from './prometheus-units';

/**
 * The recent exemplars of one series, newest first (at most one per classic bucket): `instrument` is the
 * stream name as the SDK collects it, `scope` the instrumentation scope's name.
 */
export type ExemplarLookup = (scope: string, instrument: string, attributes: Attributes) => readonly Exemplar[];

/** No exemplars: what the Prometheus text format, which cannot carry them, is rendered with. */
export const NO_EXEMPLARS: ExemplarLookup = () => [];

/** A label as written: its name made safe, its value raw (each format escapes it). */
export type Label = readonly [name: string, value: string];

export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'info';

/**
 * One Prometheus metric family, whatever the format it is written in: every stream of every scope that
 * maps to the same name, with one HELP, one TYPE and one UNIT.
 */
export interface MetricFamily {
  /**
   * The name without type suffix (OpenMetrics' family name): `healthz_count` for the samples
   * `healthz_count_total`, `target` for `target_info`.
   */
  readonly name: string;
  readonly type: FamilyType;
  readonly help: string;
  /** The OpenMetrics `# UNIT`, `''` when the name ends in no base unit. */
  readonly unit: string;
  readonly points: MetricPoint[];
}

export interface MetricPoint {
  readonly labels: readonly Label[];
  /** A counter's, gauge's or info's value. */
  readonly value: number;
  /** A counter's newest exemplar. */
  readonly exemplar?: Exemplar;
  readonly histogram?: HistogramPoint;
}

export interface HistogramPoint {
  readonly count: number;
  readonly sum: number | undefined;
  /** Classic buckets (explicit bounds); absent for an exponential stream without classic companion. */
  readonly classic?: Histogram['buckets'];
  /** The exponential (native) buckets, when the histogram has an exponential stream (set as it joins). */
  exponential?: ExponentialHistogram;
  /** Newest first; placed per bucket by each format. */
  readonly exemplars: readonly Exemplar[];
}

const TARGET_INFO_HELP = 'Target metadata';

/**
 * The one walk over a collection: the SDK's resource metrics as Prometheus metric families, named by the
 * specification's default translation, in collection order, `target` (the resource) first. Streams of
 * several scopes with the same Prometheus name merge into one family (the first stream's HELP and UNIT); a
 * stream whose name collides with a family of another type is dropped, with a warning. The exponential
 * stream of a natively served histogram (`<name>.native`) joins the classic stream `<name>` of its scope
 * and attributes.
 */
export function collectFamilies(
  resourceMetrics: ResourceMetrics,
  exemplarsOf: ExemplarLookup = NO_EXEMPLARS,
): MetricFamily[] {
  const families = new Map<string, MetricFamily>();
  const target = targetInfo(resourceMetrics.resource.attributes);
  if (target) families.set(target.name, target);
  for (const scopeMetrics of resourceMetrics.scopeMetrics) collectScope(scopeMetrics, families, exemplarsOf);
  return [...families.values()];
}

function targetInfo(attributes: Attributes): MetricFamily | undefined {
  const labels = labelsOf(attributes, []);
  if (labels.length === 0) return undefined;
  return { name: 'target', type: 'info', help: TARGET_INFO_HELP, unit: '', points: [{ labels, value: 1 }] };
}

function collectScope(
  { scope, metrics }: ScopeMetrics,
  families: Map<string, MetricFamily>,
  exemplarsOf: ExemplarLookup,
): void {
  const labels: Label[] = [['otel_scope_name', scope.name]];
  if (scope.version) labels.push(['otel_scope_version', scope.version]);
  if (scope.schemaUrl) labels.push(['otel_scope_schema_url', scope.schemaUrl]);
  const scopeLabels: ScopeLabels = { labels, key: labelsKey(labels) };
  const classicByName = new Map<string, MetricPoint[]>();
  const exponentialStreams: MetricData[] = [];
  for (const metric of metrics) {
    if (metric.aggregationTemporality !== AggregationTemporality.CUMULATIVE) continue;
    if (metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) {
      exponentialStreams.push(metric);
      continue;
    }
    const family = familyOf(metric, metric.descriptor.name, families);
    if (!family) continue;
    const points = metric.dataPoints.map((dataPoint) =>
      pointOf(metric, dataPoint.value, cachedLabelsOf(dataPoint.attributes, scopeLabels), () =>
        exemplarsOf(scope.name, metric.descriptor.name, dataPoint.attributes),
      ),
    );
    family.points.push(...points);
    if (metric.dataPointType === DataPointType.HISTOGRAM) classicByName.set(metric.descriptor.name, points);
  }
  // After the classic streams, whatever the order the SDK collected them in: their twins join them.
  for (const metric of exponentialStreams) {
    const classicName = metric.descriptor.name.endsWith(NATIVE_HISTOGRAM_STREAM_SUFFIX)
      ? metric.descriptor.name.slice(0, -NATIVE_HISTOGRAM_STREAM_SUFFIX.length)
      : metric.descriptor.name;
    addExponential(metric, classicName, scopeLabels, classicByName.get(classicName), families, (attributes) =>
      exemplarsOf(scope.name, classicByName.has(classicName) ? classicName : metric.descriptor.name, attributes),
    );
  }
}

/** The family a stream goes to, made on first use; `undefined` when the name has another type already. */
function familyOf(metric: MetricData, name: string, families: Map<string, MetricFamily>): MetricFamily | undefined {
  const type = familyType(metric);
  const { base, unit } = prometheusName(name, metric.descriptor.unit, metric.dataPointType, type === 'counter');
  const existing = families.get(base);
  if (!existing) {
    const family: MetricFamily = { name: base, type, help: metric.descriptor.description, unit, points: [] };
    families.set(base, family);
    return family;
  }
  if (existing.type === type) return existing;
  const conflict = `${name}\u0000${base}\u0000${existing.type}`;
  if (!warnedConflicts.has(conflict)) {
    warnedConflicts.add(conflict);
    diag.warn(
      `Metric ${name} is not served on /metrics: its Prometheus name ${base} is already a ${existing.type}, not a ${type}`,
    );
  }
  return undefined;
}

/** Conflicts already warned about: once per process, not once per scrape. */
const warnedConflicts = new Set<string>();

/** Monotonic sums are counters; non-monotonic sums and gauges are gauges. */
function familyType(metric: MetricData): FamilyType {
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return metric.isMonotonic ? 'counter' : 'gauge';
    case DataPointType.GAUGE:
      return 'gauge';
    default:
      return 'histogram';
  }
}

function pointOf(
  metric: MetricData,
  value: number | Histogram | ExponentialHistogram,
  labels: readonly Label[],
  exemplars: () => readonly Exemplar[],
): MetricPoint {
  if (typeof value === 'number') {
    // Exemplars on gauges are dropped, as the specification says.
    const exemplar = metric.dataPointType === DataPointType.SUM && metric.isMonotonic ? exemplars()[0] : undefined;
    return exemplar ? { labels, value, exemplar } : { labels, value };
  }
  const histogram = value as Histogram;
  return {
    labels,
    value: histogram.count,
    histogram: { count: histogram.count, sum: histogram.sum, classic: histogram.buckets, exemplars: exemplars() },
  };
}

/**
 * An exponential stream's points: each joins the classic point of the same labels when there is one,
 * else stands as a histogram of its own (native in protobuf, classic-style buckets in text).
 */
function addExponential(
  metric: MetricData,
  classicName: string,
  scopeLabels: ScopeLabels,
  classicPoints: readonly MetricPoint[] | undefined,
  families: Map<string, MetricFamily>,
  exemplarsOf: (attributes: Attributes) => readonly Exemplar[],
): void {
  const classicByLabels = new Map<string, HistogramPoint>();
  for (const { labels, histogram } of classicPoints ?? [])
    if (histogram) classicByLabels.set(labelsKey(labels), histogram);
  let family: MetricFamily | undefined;
  for (const dataPoint of metric.dataPoints) {
    const exponential = dataPoint.value as ExponentialHistogram;
    const labels = cachedLabelsOf(dataPoint.attributes, scopeLabels);
    const classic = classicByLabels.get(labelsKey(labels));
    if (classic) {
      classic.exponential = exponential;
      continue;
    }
    family ??= familyOf(metric, classicName, families);
    if (!family) return;
    const { count, sum } = exponential;
    family.points.push({
      labels,
      value: count,
      histogram: { count, sum, exponential, exemplars: exemplarsOf(dataPoint.attributes) },
    });
  }
}

function labelsKey(labels: readonly Label[]): string {
  return labels.map(([name, value]) => `${name}\u0000${value}`).join('\u0001');
}

/**
 * The labels of each attribute set the SDK collects, by scope: the SDK hands the same attribute object for
 * a series at every collection, so a scrape sanitizes and escapes-checks only series it has not seen.
 */
const labelCache = new WeakMap<Attributes, { scopeKey: string; labels: readonly Label[] }>();

/** The `otel_scope_*` labels of a scope, and a key telling them apart from another scope's. */
interface ScopeLabels {
  readonly labels: readonly Label[];
  readonly key: string;
}

function cachedLabelsOf(attributes: Attributes, scope: ScopeLabels): readonly Label[] {
  const cached = labelCache.get(attributes);
  if (cached?.scopeKey === scope.key) return cached.labels;
  const labels = labelsOf(attributes, scope.labels);
  labelCache.set(attributes, { scopeKey: scope.key, labels });
  return labels;
}

/**
 * Attributes as labels, then `extra` (the scope's): names made safe; attributes whose safe names collide
 * are concatenated with `;` in the order of their original keys, as the specification says.
 */
function labelsOf(attributes: Attributes, extra: readonly Label[]): Label[] {
  const labels: Label[] = [];
  const keys = Object.keys(attributes);
  let collided = false;
  for (const key of keys) {
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    const name = sanitizeLabelName(key);
    if (labels.some(([existing]) => existing === name)) collided = true;
    labels.push([name, stringOf(value)]);
  }
  for (const label of extra) {
    if (labels.some(([existing]) => existing === label[0])) collided = true;
    labels.push(label);
  }
  return collided ? mergeCollisions(attributes, extra) : labels;
}

function mergeCollisions(attributes: Attributes, extra: readonly Label[]): Label[] {
  const merged = new Map<string, string[]>();
  const sorted = Object.entries(attributes)
    .filter((entry): entry is [string, AttributeValue] => entry[1] !== undefined && entry[1] !== null)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [key, value] of sorted) {
    const name = sanitizeLabelName(key);
    merged.set(name, [...(merged.get(name) ?? []), stringOf(value)]);
  }
  for (const [name, value] of extra) merged.set(name, [...(merged.get(name) ?? []), value]);
  return [...merged].map(([name, values]) => [name, values.join(';')]);
}

/** Non-string attribute values as the specification's non-OTLP representation: JSON for arrays. */
function stringOf(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? JSON.stringify(value) : String(value);
}
