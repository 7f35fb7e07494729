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

/** A TCP port (1–65535) or `undefined` when unset; anything else is a start-up error naming the variable. */
export function readEnvPort(env: Env, name: string): number | undefined {
  const value = readEnv(env, name);
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name}="${value}" is not a TCP port: expected an integer from 1 to 65535`);
  }
  return port;
}

/** Whether any OTLP endpoint is configured, for traces or for all signals. */
export function hasOtlpEndpoint(env: Env, signal: 'TRACES' | 'LOGS'): boolean {
  return (
    readEnv(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined ||
    readEnv(env, `OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`) !== undefined
  );
}
