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

const BASE_ENDPOINT = 'OTEL_EXPORTER_OTLP_ENDPOINT';

/** Whether an OTLP endpoint is configured, for all signals or for this one (a bad one is still one). */
export function hasOtlpEndpoint(signal: 'TRACES' | 'LOGS'): boolean {
  checkOtlpEndpoints();
  return (
    getStringFromEnv(BASE_ENDPOINT) !== undefined ||
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

/** The signals with OTLP exporters, as they are spelled in the variables' names. */
export type OtlpSignal = 'TRACES' | 'METRICS' | 'LOGS';
export const OTLP_SIGNALS: readonly OtlpSignal[] = ['TRACES', 'METRICS', 'LOGS'];

/** The OTLP wire protocol of a signal, `http/protobuf` unless the environment says otherwise. */
export function readOtlpProtocol(signal: OtlpSignal): OtlpProtocol {
  const { variable, value, protocol } = otlpProtocolSetting(signal);
  if (value !== undefined && value !== protocol) {
    diag.warn(
      `${variable}="${value}" is not supported; using http/protobuf (supported: ${SUPPORTED_OTLP_PROTOCOLS.join(', ')})`,
    );
  }
  return protocol;
}

/** A signal's protocol variable (the shared one without a signal), its value, and the protocol it means. */
function otlpProtocolSetting(signal?: OtlpSignal): {
  variable: string;
  value: string | undefined;
  protocol: OtlpProtocol;
} {
  const signalVariable = `OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`;
  const variable = signal && getStringFromEnv(signalVariable) ? signalVariable : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const value = getStringFromEnv(variable)?.trim().toLowerCase();
  const protocol = SUPPORTED_OTLP_PROTOCOLS.find((candidate) => candidate === value) ?? 'http/protobuf';
  return { variable, value, protocol };
}

/**
 * Every `OTEL_EXPORTER_OTLP_ENDPOINT` and `OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT` that is not an endpoint
 * for its protocol is one warning naming the variable, its value and what is used instead, and is replaced
 * in `process.env` by that: the SDK's exporters read these variables themselves (the log exporter is
 * even built by the SDK), each warning "falling back to undefined" without naming the variable. Replaced
 * rather than removed, so that a bad endpoint still turns OTLP on (see {@link hasOtlpEndpoint}), to the
 * default endpoint, as the SDK would. Over HTTP an endpoint is an `http(s)://` URL (the SDK takes
 * `localhost:4318` as the scheme `localhost:` and fails on each export); over gRPC `host:port` is one too.
 * A second call finds nothing to say.
 */
export function checkOtlpEndpoints(): void {
  const signals = OTLP_SIGNALS.map((signal) => {
    const variable = `OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`;
    return { signal, variable, value: getStringFromEnv(variable), protocol: otlpProtocolSetting(signal).protocol };
  });
  const base = getStringFromEnv(BASE_ENDPOINT);
  // The shared endpoint serves the signals without one of their own, each over its own protocol.
  const baseReaders = signals.filter(({ value }) => value === undefined);
  const baseProtocols =
    baseReaders.length > 0 ? baseReaders.map(({ protocol }) => protocol) : [otlpProtocolSetting().protocol];
  const baseValid = base === undefined || baseProtocols.every((protocol) => isOtlpEndpoint(base, protocol));
  const badSignals = signals.filter(({ value, protocol }) => value !== undefined && !isOtlpEndpoint(value, protocol));
  if (!baseValid) {
    const defaults = [...new Set(baseProtocols.map((protocol) => defaultOtlpEndpoint(protocol)))];
    diag.warn(
      `${notAnEndpoint(BASE_ENDPOINT, base, baseProtocols[0])}; using the default${defaults.length > 1 ? 's' : ''}, ${defaults.join(' and ')}`,
    );
    const replacement = defaultOtlpEndpoint(otlpProtocolSetting().protocol);
    process.env[BASE_ENDPOINT] = replacement;
    // A signal over the other transport than the shared protocol has another default port.
    for (const { signal, variable, protocol } of baseReaders) {
      if (defaultOtlpEndpoint(protocol) !== replacement) process.env[variable] = defaultOtlpEndpoint(protocol, signal);
    }
  }
  for (const { signal, variable, value, protocol } of badSignals) {
    if (base !== undefined && baseValid) {
      diag.warn(
        `${notAnEndpoint(variable, value, protocol, signal)}; using ${BASE_ENDPOINT}, ${signalUrl(base, protocol, signal)}`,
      );
      delete process.env[variable];
    } else {
      const fallback = defaultOtlpEndpoint(protocol, signal);
      diag.warn(`${notAnEndpoint(variable, value, protocol, signal)}; using the default, ${fallback}`);
      process.env[variable] = fallback;
    }
  }
}

function isOtlpEndpoint(value: string, protocol: OtlpProtocol): boolean {
  // The gRPC exporter reads a value without a scheme as https://value.
  const grpc = protocol === 'grpc';
  try {
    const url = new URL(grpc && !/^\w{1,8}:\/\//.test(value) ? `https://${value}` : value);
    return grpc || url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function notAnEndpoint(
  variable: string,
  value: string | undefined,
  protocol: OtlpProtocol = 'http/protobuf',
  signal?: OtlpSignal,
): string {
  const example = signalUrl(protocol === 'grpc' ? 'http://collector:4317' : 'http://collector:4318', protocol, signal);
  return `${variable}="${value}" is not an endpoint URL such as ${example}`;
}

/** The SDK's default endpoint of a protocol, for one signal or (without one) for all. */
function defaultOtlpEndpoint(protocol: OtlpProtocol, signal?: OtlpSignal): string {
  return signalUrl(protocol === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318', protocol, signal);
}

/** Where a signal goes given the shared endpoint: its path appended over HTTP, as it is over gRPC. */
function signalUrl(base: string, protocol: OtlpProtocol, signal?: OtlpSignal): string {
  if (signal === undefined || protocol === 'grpc') return base;
  return `${base.endsWith('/') ? base : `${base}/`}v1/${signal.toLowerCase()}`;
}
