import { DataPointType } from '@opentelemetry/sdk-metrics';
import { prometheusUnitSuffix } from './prometheus-units';

describe('prometheusUnitSuffix', () => {
  it.each([
    ['s', DataPointType.HISTOGRAM, 'seconds'],
    ['ms', DataPointType.HISTOGRAM, 'milliseconds'],
    ['By', DataPointType.GAUGE, 'bytes'],
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
