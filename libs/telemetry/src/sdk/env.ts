import { diag } from '@opentelemetry/api';
import { getStringFromEnv, getStringListFromEnv } from '@opentelemetry/core';

/**
 * What `@opentelemetry/core`'s environment readers leave to us: numbers checked against a range, with
 * a message naming the variable and the value (core's reader warns "expected a number" for `abc` but
 * takes `-5` for a queue size), and lists of exporter names with one warning for the unknown ones.
 */

/** The largest count or duration a setting may hold: Node.js fires a longer timer at once. */
export const MAX_INT32 = 2 ** 31 - 1;

export interface EnvRange {
  min: number;
  max: number;
  /** What the value should be, for the message: `a TCP port`. */
  noun: string;
  /** Whole numbers only. Default `true`. */
  integer?: boolean;
}

/**
 * A number within `range`, or `undefined` when unset; anything else is an error naming the variable
 * and the value: `OTEL_BSP_MAX_QUEUE_SIZE="-5" is not a span count: expected an integer from 1 to 2147483647`.
 */
export function readEnvNumber(name: string, range: EnvRange): number | undefined {
  const value = getStringFromEnv(name)?.trim();
  if (value === undefined) return undefined;
  const { min, max, noun, integer = true } = range;
  const number = Number(value);
  if (!(number >= min && number <= max && (!integer || Number.isInteger(number)))) {
    const kind = integer ? 'an integer' : 'a number';
    throw new Error(`${name}="${value}" is not ${noun}: expected ${kind} from ${min} to ${max}`);
  }
  return number;
}

/** A TCP port (1–65535) or `undefined` when unset; anything else is an error naming the variable. */
export function readEnvPort(name: string): number | undefined {
  return readEnvNumber(name, { min: 1, max: 65535, noun: 'a TCP port' });
}

/**
 * `read()`'s value, or `fallback` with one warning when the variable it reads is invalid: for settings
 * whose documented fallback is safe, so that a typo degrades the telemetry and never stops the app.
 * The warning is `read()`'s message (naming the variable and the value) and `consequence`.
 */
export function readEnvOr<T>(read: () => T, fallback: T, consequence: string): T {
  try {
    return read();
  } catch (error) {
    diag.warn(`${(error as Error).message}; ${consequence}`);
    return fallback;
  }
}

/** Whether an OTLP endpoint is configured, for all signals or for this one. */
export function hasOtlpEndpoint(signal: 'TRACES' | 'LOGS'): boolean {
  return (
    getStringFromEnv('OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined ||
    getStringFromEnv(`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`) !== undefined
  );
}

/**
 * The exporters a list variable (`OTEL_TRACES_EXPORTER`, `OTEL_METRICS_EXPORTER`) names, case aside and
 * without repeats, `fallback` when it is unset. Unknown names are dropped with one warning that lists
 * the supported ones; `none` is what is left when nothing known is.
 */
export function readExporterNames<Name extends string>(
  variable: string,
  supported: readonly Name[],
  fallback: Name,
): Name[] {
  const requested = getStringListFromEnv(variable)?.map((name) => name.toLowerCase());
  if (requested === undefined) return [fallback];
  const isSupported = (name: string): name is Name => (supported as readonly string[]).includes(name);
  const unknown = requested.filter((name) => !isSupported(name));
  if (unknown.length > 0) {
    diag.warn(
      `${variable}="${process.env[variable]}": ignoring unknown exporter(s) ${unknown.join(', ')}; ` +
        `supported: ${supported.join(', ')}`,
    );
  }
  const known = [...new Set(requested.filter(isSupported))];
  const none = supported.find((name) => name === 'none');
  return known.length > 0 ? known : none ? [none] : [];
}

export const SUPPORTED_OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
export type OtlpProtocol = (typeof SUPPORTED_OTLP_PROTOCOLS)[number];

/** The OTLP wire protocol of a signal, `http/protobuf` unless the environment says otherwise. */
export function readOtlpProtocol(signal: 'TRACES' | 'METRICS'): OtlpProtocol {
  const signalVariable = `OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`;
  const variable = getStringFromEnv(signalVariable) ? signalVariable : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = getStringFromEnv(variable)?.trim().toLowerCase() ?? 'http/protobuf';
  const known = SUPPORTED_OTLP_PROTOCOLS.find((candidate) => candidate === protocol);
  if (known) return known;
  diag.warn(
    `${variable}="${protocol}" is not supported; using http/protobuf (supported: ${SUPPORTED_OTLP_PROTOCOLS.join(', ')})`,
  );
  return 'http/protobuf';
}
