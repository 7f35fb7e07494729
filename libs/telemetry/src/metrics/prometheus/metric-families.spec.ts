import { captureDiagnostics } from '../../spec-support/captured-diagnostics';
import { gauge, resourceMetrics, scope, sum } from '../../spec-support/resource-metrics';
import { collectFamilies } from './metric-families';
import { writePrometheusText } from './text-formats';

describe('collectFamilies', () => {
  it('concatenates the values of attributes whose label names collide, in the order of their keys', () => {
    const collection = resourceMetrics({}, [
      scope('s', undefined, [
        sum({ name: 'jobs' }, true, [[{ a_b: 'second', 'a.b': 'first', 'otel.scope.name': 'x' }, 1]]),
      ]),
    ]);
    expect(writePrometheusText(collectFamilies(collection))).toContain(
      'jobs_total{a_b="first;second",otel_scope_name="x;s"} 1\n',
    );
  });

  it('drops a stream whose name is already a family of another type, warning once', () => {
    const diagnostics = captureDiagnostics();
    try {
      const collection = resourceMetrics({}, [
        scope('s', undefined, [
          sum({ name: 'jobs', description: 'Jobs run' }, true, [[{}, 1]]),
          gauge({ name: 'jobs', description: 'Jobs' }, [[{}, 7]]),
        ]),
      ]);
      const text = writePrometheusText(collectFamilies(collection));
      writePrometheusText(collectFamilies(collection));
      expect(text).toBe('# HELP jobs_total Jobs run\n# TYPE jobs_total counter\njobs_total{otel_scope_name="s"} 1\n');
      expect(diagnostics.warnings).toEqual([
        'Metric jobs is not served on /metrics: its Prometheus name jobs is already a counter, not a gauge',
      ]);
    } finally {
      diagnostics.restore();
    }
  });
});
