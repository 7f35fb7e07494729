import { captureDiagnostics, type CapturedDiagnostics } from '../spec-support/captured-diagnostics';
import { inEnv } from '../spec-support/with-env';
import { createSamplerFromEnv } from './sampler';

describe('createSamplerFromEnv', () => {
  let diagnostics: CapturedDiagnostics;
  beforeEach(() => (diagnostics = captureDiagnostics()));
  afterEach(() => diagnostics.restore());

  it.each([
    [
      {},
      'ParentBased{root=AlwaysOnSampler, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}',
    ],
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, 'AlwaysOffSampler'],
    [{ OTEL_TRACES_SAMPLER: 'TraceIdRatio', OTEL_TRACES_SAMPLER_ARG: '0.25' }, 'TraceIdRatioBased{0.25}'],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio' }, 'TraceIdRatioBased{1}'],
  ])('builds the sampler %p names, without a warning', (env, description) => {
    expect(inEnv(env, createSamplerFromEnv).toString()).toBe(description);
    expect(diagnostics.warnings).toEqual([]);
  });

  it('uses the default sampler for an unknown name, with one warning listing the supported ones', () => {
    expect(inEnv({ OTEL_TRACES_SAMPLER: 'jaeger_remote' }, createSamplerFromEnv).toString()).toMatch(
      /^ParentBased\{root=AlwaysOnSampler/,
    );
    expect(diagnostics.warnings).toEqual([
      'OTEL_TRACES_SAMPLER="jaeger_remote" is not a supported sampler (supported: always_on, always_off, traceidratio, ' +
        'parentbased_always_on, parentbased_always_off, parentbased_traceidratio); using parentbased_always_on',
    ]);
  });

  it.each(['abc', '5', '-0.1'])(
    'samples every trace for OTEL_TRACES_SAMPLER_ARG=%s, with one warning naming it',
    (ratio) => {
      const sampler = inEnv(
        {
          OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
          OTEL_TRACES_SAMPLER_ARG: ratio,
        },
        createSamplerFromEnv,
      );
      expect(sampler.toString()).toMatch(/^ParentBased\{root=TraceIdRatioBased\{1\}/);
      expect(diagnostics.warnings).toEqual([
        `OTEL_TRACES_SAMPLER_ARG="${ratio}" is not a sampling ratio: expected a number from 0 to 1; sampling every trace (ratio 1)`,
      ]);
    },
  );

  it('ignores OTEL_TRACES_SAMPLER_ARG for samplers that take none, as the specification says', () => {
    inEnv({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: 'abc' }, createSamplerFromEnv);
    expect(diagnostics.warnings).toEqual([]);
  });
});
