import { DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';

/** UCUM units as OpenTelemetry writes them, and the words Prometheus names use for them. */
const UNIT_WORDS: Record<string, string> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  bit: 'bits',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
};

/** Units after a `/`, which Prometheus writes in the singular: `By/s` → `bytes_per_second`. */
const PER_UNIT_WORDS: Record<string, string> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

/**
 * The suffix the OpenTelemetry-to-Prometheus compatibility rules give a metric for its unit:
 * `seconds` for `s`, `bytes` for `By`, `ratio` for a gauge in `1`, nothing for annotations (`{requests}`).
 * Unknown units are used as written, made safe for a metric name.
 */
export function prometheusUnitSuffix(unit: string, dataPointType: DataPointType): string {
  const bare = unit.replace(/\{[^}]*\}/g, '').trim();
  if (bare === '1') return dataPointType === DataPointType.GAUGE ? 'ratio' : '';
  if (bare === '') return '';
  const [numerator, denominator] = bare.split('/', 2);
  const words = [numerator ? (UNIT_WORDS[numerator] ?? numerator) : ''];
  if (denominator) words.push('per', PER_UNIT_WORDS[denominator] ?? UNIT_WORDS[denominator] ?? denominator);
  return words
    .filter(Boolean)
    .join('_')
    .replace(/[^a-zA-Z0-9_]/g, '_');
}

/**
 * The Prometheus family name of an instrument: its name made safe, ending in its unit suffix (before the
 * `_total` that counters' samples get): `http.server.request.duration` in `s` → `http_server_request_duration_seconds`.
 */
export function prometheusFamilyName(name: string, unit: string, dataPointType: DataPointType): string {
  const sanitized = name.replace(/[^a-zA-Z0-9_:]/g, '_');
  const suffix = prometheusUnitSuffix(unit, dataPointType);
  if (!suffix || sanitized.endsWith(`_${suffix}`) || sanitized.endsWith(`_${suffix}_total`)) return sanitized;
  return `${sanitized}_${suffix}`;
}

/** The metric renamed to its Prometheus family name, for the serializer. */
export function withUnitSuffix(metric: MetricData): MetricData {
  const name = prometheusFamilyName(metric.descriptor.name, metric.descriptor.unit, metric.dataPointType);
  return { ...metric, descriptor: { ...metric.descriptor, name } };
}
