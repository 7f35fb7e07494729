import { diag } from '@opentelemetry/api';

/** Reads of `OTEL_*` variables that several parts of the SDK start-up need, in one place. */

export type Env = NodeJS.ProcessEnv;

/** A variable's trimmed value, or `undefined` when it is unset or blank. */
export function readEnv(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** A comma-separated list, lower-cased, without blanks or repeats. */
export function readEnvList(env: Env, name: string): string[] | undefined {
  const value = readEnv(env, name);
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(items)];
}

/** `true` only for `true` in any case, as the OpenTelemetry specification reads booleans. */
export function readEnvBoolean(env: Env, name: string): boolean {
  return readEnv(env, name)?.toLowerCase() === 'true';
}

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
 * and the value: `PORT="eighty" is not a TCP port: expected an integer from 0 to 65535`.
 */
export function readEnvNumber(env: Env, name: string, range: EnvRange): number | undefined {
  const value = readEnv(env, name);
  if (value === undefined) return undefined;
  const { min, max, noun, integer = true } = range;
  const number = Number(value);
  const inRange = number >= min && number <= max && (!integer || Number.isInteger(number));
  if (!inRange) {
    throw new Error(
      `${name}="${value}" is not ${noun}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`,
    );
  }
  return number;
}

/** A TCP port (1–65535) or `undefined` when unset; anything else is a start-up error naming the variable. */
export function readEnvPort(env: Env, name: string): number | undefined {
  return readEnvNumber(env, name, { min: 1, max: 65535, noun: 'a TCP port' });
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

/** Whether any OTLP endpoint is configured, for traces or for all signals. */
export function hasOtlpEndpoint(env: Env, signal: 'TRACES' | 'LOGS'): boolean {
  return (
    readEnv(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined ||
    readEnv(env, `OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`) !== undefined
  );
}

/**
 * The exporters a list variable (`OTEL_TRACES_EXPORTER`, `OTEL_METRICS_EXPORTER`) names, `fallback` when
 * it is unset. Unknown names are dropped with one warning that lists the supported ones; `none` is what
 * is left when nothing known is.
 */
export function readExporterNames<Name extends string>(
  env: Env,
  variable: string,
  supported: readonly Name[],
  fallback: Name,
): Name[] {
  const requested = readEnvList(env, variable);
  if (requested === undefined) return [fallback];
  const known = requested.filter((name): name is Name => (supported as readonly string[]).includes(name));
  const unknown = requested.filter((name) => !(supported as readonly string[]).includes(name));
  if (unknown.length > 0) {
    diag.warn(
      `${variable}="${env[variable]}": ignoring unknown exporter(s) ${unknown.join(', ')}; ` +
        `supported: ${supported.join(', ')}`,
    );
  }
  const none = supported.find((name) => name === 'none');
  return known.length > 0 ? known : none ? [none] : [];
}

export const SUPPORTED_OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
export type OtlpProtocol = (typeof SUPPORTED_OTLP_PROTOCOLS)[number];

/** The OTLP wire protocol of a signal, `http/protobuf` unless the environment says otherwise. */
export function readOtlpProtocol(env: Env, signal: 'TRACES' | 'METRICS'): OtlpProtocol {
  const signalVariable = `OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`;
  const variable = readEnv(env, signalVariable) ? signalVariable : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = readEnv(env, variable)?.toLowerCase() ?? 'http/protobuf';
  const known = SUPPORTED_OTLP_PROTOCOLS.find((candidate) => candidate === protocol);
  if (known) return known;
  diag.warn(
    `${variable}="${protocol}" is not supported; using http/protobuf (supported: ${SUPPORTED_OTLP_PROTOCOLS.join(', ')})`,
  );
  return 'http/protobuf';
}
