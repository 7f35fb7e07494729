/** One sample of an OpenMetrics exposition that carries an exemplar. */
export interface ExemplarSample {
  /** `name{labels}`, as the sample line writes it. */
  series: string;
  labels: Record<string, string>;
  traceId: string;
  spanId: string;
  /** The exemplar's own value (the measurement), not the sample's. */
  value: number;
}

const EXEMPLAR_LINE = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? \S+(?: \S+)? # \{([^}]*)\} (\S+)(?: \S+)?$/;
const LABEL = /([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g;

/** The samples of `metric` (a sample name: `x_total`, `x_bucket`) that carry an exemplar. */
export function exemplarSamples(exposition: string, metric: string): ExemplarSample[] {
  return exposition.split('\n').flatMap((line) => {
    const match = EXEMPLAR_LINE.exec(line);
    if (!match || match[1] !== metric) return [];
    const labels = parseLabels(match[2] ?? '');
    const exemplarLabels = parseLabels(match[3] ?? '');
    return [
      {
        series: `${match[1]}${match[2] ?? ''}`,
        labels,
        traceId: exemplarLabels['trace_id'] ?? '',
        spanId: exemplarLabels['span_id'] ?? '',
        value: Number(match[4]),
      },
    ];
  });
}

function parseLabels(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(LABEL)].map(([, name, value]) => [name, value]));
}

/** A random W3C trace id (32 hex digits), to find one request's trace among the others. */
export function randomTraceId(): string {
  return crypto.getRandomValues(new Uint8Array(16)).reduce((hex, byte) => hex + byte.toString(16).padStart(2, '0'), '');
}
