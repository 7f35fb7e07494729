/** The formats `/metrics` is served in. */
export type ExpositionFormat = 'text' | 'openmetrics' | 'protobuf';

export const EXPOSITION_FORMATS: readonly ExpositionFormat[] = ['text', 'openmetrics', 'protobuf'];

/** The `Content-Type` of each format, with its version, as scrapers read it to pick their parser. */
export const CONTENT_TYPES: Readonly<Record<ExpositionFormat, string>> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
  protobuf: 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
};

interface Offer {
  format: ExpositionFormat;
  quality: number;
  /** A wildcard (any type, or `text/` any) yields to a named type of the same quality. */
  specific: boolean;
}

/**
 * The format a scraper's `Accept` header asks for, by quality (`q`, default 1; `q=0` refuses), then a
 * named type before a wildcard, then the header's order. OpenMetrics 1.0.0 (or 0.0.1, or no version), the
 * protobuf `MetricFamily` delimited encoding, and `text/plain` 0.0.4 (or 1.0.0, the same text when names
 * need no UTF-8 quoting, which ours never do) are understood; any type and any `text/` type mean text. No header, or
 * nothing understood: the text format 0.0.4, which every scraper reads.
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (!accept) return 'text';
  let best: Offer | undefined;
  for (const range of accept.split(',')) {
    const offer = offerOf(range);
    // Strictly better only: of equals, the first in the header wins.
    if (offer && offer.quality > 0 && (!best || isBetter(offer, best))) best = offer;
  }
  return best?.format ?? 'text';
}

function isBetter(offer: Offer, best: Offer): boolean {
  if (offer.quality !== best.quality) return offer.quality > best.quality;
  return offer.specific && !best.specific;
}

function offerOf(range: string): Offer | undefined {
  const [mediaType = '', ...parameterTexts] = range.split(';');
  const parameters = new Map<string, string>();
  for (const text of parameterTexts) {
    const separator = text.indexOf('=');
    if (separator > 0) {
      const value = text.slice(separator + 1).trim();
      parameters.set(text.slice(0, separator).trim().toLowerCase(), value.replace(/^"(.*)"$/, '$1'));
    }
  }
  const format = formatOf(mediaType.trim().toLowerCase(), parameters);
  if (!format) return undefined;
  const quality = parameters.has('q') ? Number(parameters.get('q')) : 1;
  if (!Number.isFinite(quality)) return undefined;
  return { format, quality, specific: !mediaType.includes('*') };
}

function formatOf(mediaType: string, parameters: Map<string, string>): ExpositionFormat | undefined {
  const version = parameters.get('version');
  switch (mediaType) {
    case 'application/openmetrics-text':
      return version === undefined || version === '1.0.0' || version === '0.0.1' ? 'openmetrics' : undefined;
    case 'application/vnd.google.protobuf':
      return parameters.get('proto') === 'io.prometheus.client.MetricFamily' &&
        parameters.get('encoding') === 'delimited'
        ? 'protobuf'
        : undefined;
    case 'text/plain':
      return version === undefined || version === '0.0.4' || version === '1.0.0' ? 'text' : undefined;
    case '*/*':
    case 'text/*':
      return 'text';
    default:
      return undefined;
  }
}

/** What `?format=` chose: a format, or why the request is refused (a 400). */
export type FormatChoice = { format: ExpositionFormat } | { error: string };

/**
 * The format of a scrape: `?format=text|openmetrics|protobuf` when given (for people, with curl or a
 * browser; the first one if repeated), else by the `Accept` header. An unknown `?format=` is refused rather
 * than guessed at.
 */
export function chooseFormat(accept: string | undefined, query: unknown): FormatChoice {
  const formatParameter = Array.isArray(query) ? query[0] : query;
  if (formatParameter === undefined) return { format: negotiateFormat(accept) };
  if ((EXPOSITION_FORMATS as readonly string[]).includes(formatParameter)) {
    return { format: formatParameter as ExpositionFormat };
  }
  const shown = String(formatParameter).slice(0, 40);
  return { error: `Unknown format "${shown}": use ?format=${EXPOSITION_FORMATS.join(', ?format=')}, or none` };
}
