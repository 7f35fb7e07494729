import { chooseFormat, CONTENT_TYPES, negotiateFormat } from './content-negotiation';

// The Accept headers real scrapers send, verbatim: Prometheus 2.42's (scrape/scrape.go), and Prometheus 3's
// as its acceptHeader() builds them from scrape_protocols (scrape/scrape_test.go).
const PROMETHEUS_2_42 =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const PROMETHEUS_2_42_NATIVE_HISTOGRAMS =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const PROMETHEUS_3 =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
const PROMETHEUS_3_UNDERSCORES =
  'application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=underscores;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
const PROMETHEUS_3_NATIVE_HISTOGRAMS =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1';
/** `scrape_protocols: [PrometheusText0.0.4]`, `[PrometheusText1.0.0]`, `[PrometheusProto]`. */
const PROMETHEUS_3_TEXT_ONLY = 'text/plain;version=0.0.4;q=0.6,*/*;q=0.5';
const PROMETHEUS_3_TEXT_1_ONLY = 'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.6,*/*;q=0.5';
const PROMETHEUS_3_PROTO_ONLY =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,*/*;q=0.5';

describe('negotiateFormat', () => {
  it.each([
    ['Prometheus 2.42', PROMETHEUS_2_42, 'openmetrics'],
    ['Prometheus 2.42 with native histograms', PROMETHEUS_2_42_NATIVE_HISTOGRAMS, 'protobuf'],
    ['Prometheus 3', PROMETHEUS_3, 'openmetrics'],
    ['Prometheus 3, underscore escaping', PROMETHEUS_3_UNDERSCORES, 'openmetrics'],
    ['Prometheus 3 with native histograms', PROMETHEUS_3_NATIVE_HISTOGRAMS, 'protobuf'],
    ['Prometheus 3, text 0.0.4 only', PROMETHEUS_3_TEXT_ONLY, 'text'],
    ['Prometheus 3, text 1.0.0 only', PROMETHEUS_3_TEXT_1_ONLY, 'text'],
    ['Prometheus 3, protobuf only', PROMETHEUS_3_PROTO_ONLY, 'protobuf'],
    ['curl (*/*)', '*/*', 'text'],
    ['no header', undefined, 'text'],
    ['an empty header', '', 'text'],
    ['OpenMetrics without version', 'application/openmetrics-text', 'openmetrics'],
    ['spaces and upper case', 'Application/OpenMetrics-Text; Version=1.0.0 ; q=0.9, text/plain; q=0.5', 'openmetrics'],
    ['q-values over order', 'text/plain;q=0.5,application/openmetrics-text;version=1.0.0;q=0.9', 'openmetrics'],
    ['q=0 refuses', 'application/openmetrics-text;q=0,text/plain;q=0.1', 'text'],
    ['q=0 alone refuses', 'application/openmetrics-text;version=1.0.0;q=0', 'text'],
    ['a named type over a wildcard of equal q', '*/*;q=0.5,application/openmetrics-text;q=0.5', 'openmetrics'],
    [
      'protobuf without the delimited encoding',
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily',
      'text',
    ],
    ['protobuf of another message', 'application/vnd.google.protobuf;proto=other.Message;encoding=delimited', 'text'],
    ['an OpenMetrics version we do not write', 'application/openmetrics-text;version=2.0.0', 'text'],
    ['only unsupported types', 'application/json, image/png', 'text'],
    ['nonsense', ';;,=q,,', 'text'],
  ])('%s → %s', (_who, accept, format) => {
    expect(negotiateFormat(accept)).toBe(format);
  });
});

describe('chooseFormat', () => {
  it('lets ?format= override the Accept header', () => {
    expect(chooseFormat(PROMETHEUS_2_42, 'text')).toEqual({ format: 'text' });
    expect(chooseFormat(undefined, 'openmetrics')).toEqual({ format: 'openmetrics' });
    expect(chooseFormat('text/plain', 'protobuf')).toEqual({ format: 'protobuf' });
    expect(chooseFormat(PROMETHEUS_2_42, ['protobuf', 'text'])).toEqual({ format: 'protobuf' });
  });

  it('refuses an unknown ?format= with the formats there are', () => {
    expect(chooseFormat(PROMETHEUS_2_42, 'json')).toEqual({
      error: 'Unknown format "json": use ?format=text, ?format=openmetrics, ?format=protobuf, or none',
    });
    expect(chooseFormat(undefined, '')).toHaveProperty('error');
  });

  it('negotiates without ?format=', () => {
    expect(chooseFormat(PROMETHEUS_2_42, undefined)).toEqual({ format: 'openmetrics' });
  });
});

describe('CONTENT_TYPES', () => {
  it('name each format with its version', () => {
    expect(CONTENT_TYPES).toEqual({
      text: 'text/plain; version=0.0.4; charset=utf-8',
      openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
      protobuf: 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
    });
  });
});
