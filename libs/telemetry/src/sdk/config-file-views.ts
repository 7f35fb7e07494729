import type { AggregationConfigModel, ViewConfigModel } from '@opentelemetry/configuration';
import {
  type AggregationOption,
  AggregationType,
  createAllowListAttributesProcessor,
  createDenyListAttributesProcessor,
  InstrumentType,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { ConfigFileError } from './config-file';
import { type ConfigPath, onlyEntry } from './config-file-model';

const INSTRUMENT_TYPES: Record<string, InstrumentType> = {
  counter: InstrumentType.COUNTER,
  gauge: InstrumentType.GAUGE,
  histogram: InstrumentType.HISTOGRAM,
  observable_counter: InstrumentType.OBSERVABLE_COUNTER,
  observable_gauge: InstrumentType.OBSERVABLE_GAUGE,
  observable_up_down_counter: InstrumentType.OBSERVABLE_UP_DOWN_COUNTER,
  up_down_counter: InstrumentType.UP_DOWN_COUNTER,
};

/** `meter_provider.views` as SDK views, as the SDK's `startNodeSdk()` reads them. */
export function createViews(views: readonly ViewConfigModel[] | undefined, path: ConfigPath): ViewOptions[] {
  return (views ?? []).map((view, index) => createView(view, `${path}/${index}`));
}

function createView({ selector, stream }: ViewConfigModel, path: ConfigPath): ViewOptions {
  const instrumentType = selector.instrument_type ? INSTRUMENT_TYPES[selector.instrument_type] : undefined;
  if (selector.instrument_type && instrumentType === undefined) {
    throw new ConfigFileError(`${path}/selector/instrument_type: unknown "${selector.instrument_type}"`);
  }
  const { included, excluded } = stream.attribute_keys ?? {};
  const attributesProcessors = [
    ...(included?.length ? [createAllowListAttributesProcessor(exactKeys(included, `${path}/stream`))] : []),
    ...(excluded?.length ? [createDenyListAttributesProcessor(exactKeys(excluded, `${path}/stream`))] : []),
  ];
  return {
    instrumentName: selector.instrument_name ?? undefined,
    instrumentType,
    instrumentUnit: selector.unit ?? undefined,
    meterName: selector.meter_name ?? undefined,
    meterVersion: selector.meter_version ?? undefined,
    meterSchemaUrl: selector.meter_schema_url ?? undefined,
    name: stream.name ?? undefined,
    description: stream.description ?? undefined,
    aggregation: stream.aggregation ? aggregation(stream.aggregation, `${path}/stream/aggregation`) : undefined,
    aggregationCardinalityLimit: stream.aggregation_cardinality_limit ?? undefined,
    attributesProcessors: attributesProcessors.length > 0 ? attributesProcessors : undefined,
  };
}

/** The SDK's attribute processors match keys exactly: a pattern would silently match nothing. */
function exactKeys(keys: string[], path: ConfigPath): string[] {
  const patterns = keys.filter((key) => key.includes('*') || key.includes('?'));
  if (patterns.length > 0) {
    throw new ConfigFileError(`${path}/attribute_keys: wildcards are not supported (${patterns.join(', ')})`);
  }
  return keys;
}

function aggregation(model: AggregationConfigModel, path: ConfigPath): AggregationOption {
  const [name, props] = onlyEntry(model, path);
  const options = (props ?? {}) as { boundaries?: number[]; record_min_max?: boolean | null; max_size?: number | null };
  switch (name) {
    case 'default':
      return { type: AggregationType.DEFAULT };
    case 'drop':
      return { type: AggregationType.DROP };
    case 'sum':
      return { type: AggregationType.SUM };
    case 'last_value':
      return { type: AggregationType.LAST_VALUE };
    case 'explicit_bucket_histogram':
      return {
        type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
        options: { boundaries: options.boundaries ?? DEFAULT_BOUNDARIES, recordMinMax: options.record_min_max ?? true },
      };
    case 'base2_exponential_bucket_histogram':
      return {
        type: AggregationType.EXPONENTIAL_HISTOGRAM,
        options: { maxSize: options.max_size ?? undefined, recordMinMax: options.record_min_max ?? undefined },
      };
    default:
      throw new ConfigFileError(`${path}: unknown aggregation "${name}"`);
  }
}

/** The schema's default boundaries for an explicit bucket histogram. */
const DEFAULT_BOUNDARIES = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
