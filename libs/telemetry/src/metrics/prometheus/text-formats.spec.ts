import { resourceMetrics, SHOP_EXEMPLARS, shopMetrics } from '../../spec-support/resource-metrics';
import { collectFamilies } from './metric-families';
import { canonicalFloat, goFloat, writeOpenMetrics, writePrometheusText } from './text-formats';

// Golden outputs written from the formats' specifications (Prometheus text 0.0.4, OpenMetrics 1.0.0) and
// the OpenTelemetry specification's Prometheus compatibility, for the collection of `shopMetrics()`.
const SHOP = 'otel_scope_name="shop",otel_scope_version="1.0"';
const ROUTE = String.raw`http_route="/a\"b\\c\nd"`;
const EXEMPLAR = (trace: string, value: string, timestamp: string) =>
  ` # {trace_id="${trace.repeat(32)}",span_id="b7ad6b7169203331"} ${value} ${timestamp}`;

const TEXT = [
  '# HELP target_info Target metadata',
  '# TYPE target_info gauge',
  'target_info{service_name="shop",service_version="1.2"} 1',
  '# HELP orders_total Orders placed',
  '# TYPE orders_total counter',
  `orders_total{channel="web",${SHOP}} 3`,
  `orders_total{channel="app",${SHOP}} 1`,
  'orders_total{channel="web",otel_scope_name="billing"} 5',
  '# HELP queue_depth Items waiting',
  '# TYPE queue_depth gauge',
  `queue_depth{${SHOP}} -2`,
  '# HELP cpu_utilization_ratio CPU in use',
  '# TYPE cpu_utilization_ratio gauge',
  `cpu_utilization_ratio{core="0",${SHOP}} NaN`,
  `cpu_utilization_ratio{core="1",${SHOP}} +Inf`,
  `cpu_utilization_ratio{core="2",${SHOP}} -Inf`,
  '# HELP http_server_request_duration_seconds Request duration',
  '# TYPE http_server_request_duration_seconds histogram',
  `http_server_request_duration_seconds_bucket{${ROUTE},${SHOP},le="0.1"} 1`,
  `http_server_request_duration_seconds_bucket{${ROUTE},${SHOP},le="1"} 2`,
  `http_server_request_duration_seconds_bucket{${ROUTE},${SHOP},le="+Inf"} 2`,
  `http_server_request_duration_seconds_sum{${ROUTE},${SHOP}} 0.3`,
  `http_server_request_duration_seconds_count{${ROUTE},${SHOP}} 2`,
  '# HELP payload_size_bytes Payload size',
  '# TYPE payload_size_bytes histogram',
  `payload_size_bytes_bucket{${SHOP},le="0"} 1`,
  `payload_size_bytes_bucket{${SHOP},le="2"} 2`,
  `payload_size_bytes_bucket{${SHOP},le="4"} 4`,
  `payload_size_bytes_bucket{${SHOP},le="+Inf"} 4`,
  `payload_size_bytes_sum{${SHOP}} 8`,
  `payload_size_bytes_count{${SHOP}} 4`,
  '',
].join('\n');

const OPENMETRICS = [
  '# TYPE target info',
  '# HELP target Target metadata',
  'target_info{service_name="shop",service_version="1.2"} 1',
  '# TYPE orders counter',
  '# HELP orders Orders placed',
  `orders_total{channel="web",${SHOP}} 3${EXEMPLAR('a', '1', '1700000000.500')}`,
  `orders_total{channel="app",${SHOP}} 1`,
  'orders_total{channel="web",otel_scope_name="billing"} 5',
  '# TYPE queue_depth gauge',
  '# HELP queue_depth Items waiting',
  `queue_depth{${SHOP}} -2`,
  '# TYPE cpu_utilization_ratio gauge',
  '# UNIT cpu_utilization_ratio ratio',
  '# HELP cpu_utilization_ratio CPU in use',
  `cpu_utilization_ratio{core="0",${SHOP}} NaN`,
  `cpu_utilization_ratio{core="1",${SHOP}} +Inf`,
  `cpu_utilization_ratio{core="2",${SHOP}} -Inf`,
  '# TYPE http_server_request_duration_seconds histogram',
  '# UNIT http_server_request_duration_seconds seconds',
  '# HELP http_server_request_duration_seconds Request duration',
  `http_server_request_duration_seconds_bucket{${ROUTE},${SHOP},le="0.1"} 1${EXEMPLAR('d', '0.05', '1700000001.000')}`,
  `http_server_request_duration_seconds_bucket{${ROUTE},${SHOP},le="1.0"} 2${EXEMPLAR('c', '0.25', '1700000002.000')}`,
  `http_server_request_duration_seconds_bucket{${ROUTE},${SHOP},le="+Inf"} 2`,
  `http_server_request_duration_seconds_sum{${ROUTE},${SHOP}} 0.3`,
  `http_server_request_duration_seconds_count{${ROUTE},${SHOP}} 2`,
  '# TYPE payload_size_bytes histogram',
  '# UNIT payload_size_bytes bytes',
  '# HELP payload_size_bytes Payload size',
  `payload_size_bytes_bucket{${SHOP},le="0.0"} 1`,
  `payload_size_bytes_bucket{${SHOP},le="2.0"} 2`,
  `payload_size_bytes_bucket{${SHOP},le="4.0"} 4`,
  `payload_size_bytes_bucket{${SHOP},le="+Inf"} 4`,
  `payload_size_bytes_sum{${SHOP}} 8`,
  `payload_size_bytes_count{${SHOP}} 4`,
  '# EOF',
  '',
].join('\n');

describe('the Prometheus text format 0.0.4', () => {
  it('writes counters, gauges, up-down counters, histograms, the resource and two scopes’ counter as one family', () => {
    expect(writePrometheusText(collectFamilies(shopMetrics(), SHOP_EXEMPLARS))).toBe(TEXT);
  });

  it('is empty for an empty registry', () => {
    expect(writePrometheusText(collectFamilies(resourceMetrics({}, [])))).toBe('');
  });
});

describe('OpenMetrics 1.0.0', () => {
  it('writes the same with TYPE, UNIT and HELP, counter families without _total, exemplars, `target` as info and # EOF', () => {
    expect(writeOpenMetrics(collectFamilies(shopMetrics(), SHOP_EXEMPLARS))).toBe(OPENMETRICS);
  });

  it('is only # EOF for an empty registry', () => {
    expect(writeOpenMetrics(collectFamilies(resourceMetrics({}, [])))).toBe('# EOF\n');
  });
});

describe('bounds in le', () => {
  it.each([
    [0, '0', '0.0'],
    [0.001, '0.001', '0.001'],
    [0.0001, '0.0001', '0.0001'],
    [1e-5, '1e-05', '1e-05'],
    [1, '1', '1.0'],
    [1.7, '1.7', '1.7'],
    [10, '10', '10.0'],
    [100000, '100000', '100000.0'],
    [1e6, '1e+06', '1e+06'],
    [1.1e23, '1.1e+23', '1.1e+23'],
    [-2, '-2', '-2.0'],
    [Infinity, '+Inf', '+Inf'],
  ])('%p is %p in the text format and %p in OpenMetrics (canonical)', (bound, text, openMetrics) => {
    expect(goFloat(bound)).toBe(text);
    expect(canonicalFloat(bound)).toBe(openMetrics);
  });
});
