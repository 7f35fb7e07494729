import { DataPointType } from '@opentelemetry/sdk-metrics';
import { prometheusName, prometheusUnitSuffix, sanitizeLabelName } from './prometheus-units';

describe('prometheusUnitSuffix', () => {
  it.each([
    ['s', DataPointType.HISTOGRAM, 'seconds'],
    ['ms', DataPointType.HISTOGRAM, 'milliseconds'],
    ['By', DataPointType.GAUGE, 'bytes'],
    ['kBy', DataPointType.GAUGE, 'kilobytes'],
    ['By/s', DataPointType.SUM, 'bytes_per_second'],
    ['1', DataPointType.GAUGE, 'ratio'],
    ['1', DataPointType.SUM, ''],
    ['{requests}', DataPointType.SUM, ''],
    ['', DataPointType.SUM, ''],
    ['furlongs', DataPointType.GAUGE, 'furlongs'],
  ])('%p on a %p is %p', (unit, type, suffix) => {
    expect(prometheusUnitSuffix(unit, type)).toBe(suffix);
  });
});

describe('prometheusName', () => {
  it.each([
    [
      'http.server.request.duration',
      's',
      DataPointType.HISTOGRAM,
      false,
      'http_server_request_duration_seconds',
      'seconds',
    ],
    ['healthz_count', '', DataPointType.SUM, true, 'healthz_count', ''],
    ['bytes_sent_total', 'By', DataPointType.SUM, true, 'bytes_sent_bytes', 'bytes'],
    ['request_seconds', 's', DataPointType.HISTOGRAM, false, 'request_seconds', 'seconds'],
    ['my..odd--name', 'ms', DataPointType.GAUGE, false, 'my_odd_name_milliseconds', ''],
    ['2xx.responses', '{responses}', DataPointType.SUM, true, '_2xx_responses', ''],
    ['cpu.utilization', '1', DataPointType.GAUGE, false, 'cpu_utilization_ratio', 'ratio'],
    ['transfer.rate', 'By/s', DataPointType.GAUGE, false, 'transfer_rate_bytes_per_second', ''],
  ])('%p in %p (%p, counter %p) is %p with unit %p', (name, unit, type, counter, base, omUnit) => {
    expect(prometheusName(name, unit, type, counter)).toEqual({ base, unit: omUnit });
  });
});

describe('sanitizeLabelName', () => {
  it.each([
    ['http.route', 'http_route'],
    ['a..b__c', 'a_b_c'],
    ['1st', 'key_1st'],
    ['ünïcode', '_n_code'],
  ])('%p is %p', (name, label) => {
    expect(sanitizeLabelName(name)).toBe(label);
  });
});
