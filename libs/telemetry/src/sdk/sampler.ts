import { diag } from '@opentelemetry/api';
import { getStringFromEnv } from '@opentelemetry/core';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace';
import { readEnvNumber, readEnvOr } from './env';

export const SUPPORTED_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
type SamplerName = (typeof SUPPORTED_SAMPLERS)[number];

const DEFAULT_SAMPLER: SamplerName = 'parentbased_always_on';
/** The specification's default for a ratio sampler without a valid `OTEL_TRACES_SAMPLER_ARG`. */
const DEFAULT_RATIO = 1;

/**
 * The sampler named by `OTEL_TRACES_SAMPLER` (case aside, as the specification reads enum values) and,
 * for the ratio samplers, `OTEL_TRACES_SAMPLER_ARG`.
 *
 * Built here rather than by the SDK, whose messages for a bad value are wrong or doubled: for
 * `OTEL_TRACES_SAMPLER_ARG=abc` it warns "expected a number" and then errs "is blank". Here a bad value
 * is one warning naming the variable, the value and what is used instead: the default sampler for an
 * unknown name, a ratio of 1 (every trace) for a ratio that is not a number from 0 to 1.
 */
export function createSamplerFromEnv(): Sampler {
  switch (readSamplerName()) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(readRatio());
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(readRatio()) });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

function readSamplerName(): SamplerName {
  const value = getStringFromEnv('OTEL_TRACES_SAMPLER')?.trim();
  if (value === undefined) return DEFAULT_SAMPLER;
  const known = SUPPORTED_SAMPLERS.find((name) => name === value.toLowerCase());
  if (known) return known;
  diag.warn(
    `OTEL_TRACES_SAMPLER="${value}" is not a supported sampler (supported: ${SUPPORTED_SAMPLERS.join(', ')}); ` +
      `using ${DEFAULT_SAMPLER}`,
  );
  return DEFAULT_SAMPLER;
}

function readRatio(): number {
  const read = (): number =>
    readEnvNumber('OTEL_TRACES_SAMPLER_ARG', { min: 0, max: 1, noun: 'a sampling ratio', integer: false }) ??
    DEFAULT_RATIO;
  return readEnvOr(read, DEFAULT_RATIO, `sampling every trace (ratio ${DEFAULT_RATIO})`);
}
