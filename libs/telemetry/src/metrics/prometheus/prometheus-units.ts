import { DataPointType } from '@opentelemetry/sdk-metrics';

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
  TiBy: 'tebibytes',
  kBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
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
 * The units OpenMetrics calls base units: a family whose name ends in one of them gets a `# UNIT` line
 * (`milliseconds` or `bytes_per_second` stay in the name only).
 */
const BASE_UNITS = new Set(['seconds', 'bytes', 'joules', 'grams', 'meters', 'ratio', 'volts', 'amperes', 'celsius']);

/** The Prometheus names of one stream: what the family and its samples are called, and its OpenMetrics unit. */
export interface PrometheusName {
  /** The family name without type suffix: `healthz_count`, `http_server_request_duration_seconds`. */
  readonly base: string;
  /** The OpenMetrics `# UNIT` of the family, or `''`. */
  readonly unit: string;
}

/**
 * The Prometheus name of an instrument, by the specification's default translation: characters outside
 * `[a-zA-Z0-9_:]` become `_`, runs of `_` one, and the unit suffix comes last, before the `_total` a counter's
 * samples get (a name already ending in `_total` is not given a second one): `http.server.request.duration`
 * in `s` → `http_server_request_duration_seconds`, `bytes_sent_total` in `By` → `bytes_sent_bytes` (+ `_total`).
 */
export function prometheusName(
  name: string,
  unit: string,
  dataPointType: DataPointType,
  counter: boolean,
): PrometheusName {
  let base = sanitizeMetricName(name);
  if (counter && base.endsWith('_total')) base = base.slice(0, -'_total'.length);
  const suffix = prometheusUnitSuffix(unit, dataPointType);
  if (suffix && !base.endsWith(`_${suffix}`) && base !== suffix) base = `${base}_${suffix}`;
  return { base, unit: suffix && BASE_UNITS.has(suffix) && base.endsWith(`_${suffix}`) ? suffix : '' };
}

/** A metric name Prometheus accepts: `[a-zA-Z_:][a-zA-Z0-9_:]*`, without runs of `_`. */
export function sanitizeMetricName(name: string): string {
  const safe = collapseUnderscores(name.replace(/[^a-zA-Z0-9_:]/g, '_'));
  return /^[0-9]/.test(safe) || safe === '' ? `_${safe}` : safe;
}

/**
 * A label name Prometheus accepts: `[a-zA-Z_][a-zA-Z0-9_]*`, without runs of `_`; one starting with a digit
 * gets the `key_` prefix, as the OpenTelemetry Collector does.
 */
export function sanitizeLabelName(name: string): string {
  const safe = collapseUnderscores(name.replace(/[^a-zA-Z0-9_]/g, '_'));
  if (safe === '') return 'key_';
  return /^[0-9]/.test(safe) ? `key_${safe}` : safe;
}

function collapseUnderscores(name: string): string {
  return name.includes('__') ? name.replace(/_{2,}/g, '_') : name;
}
