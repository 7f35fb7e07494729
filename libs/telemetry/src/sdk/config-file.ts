import { type ConfigurationModel, parseConfigFile } from '@opentelemetry/configuration';
import { getStringFromEnv } from '@opentelemetry/core';
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { describeError } from './export-diagnostics';

export const CONFIG_FILE_VARIABLE = 'OTEL_CONFIG_FILE';

/** The path `OTEL_CONFIG_FILE` names, or `undefined` when it is unset or blank. */
export function readConfigFilePath(): string | undefined {
  return getStringFromEnv(CONFIG_FILE_VARIABLE)?.trim() || undefined;
}

/**
 * A problem with the configuration file: what is wrong, in one line, without the file's name (the line
 * that reports it names the file once).
 */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

/**
 * The file parsed, its `${VAR}` references substituted and checked against the schema by the SDK's own
 * parser (`@opentelemetry/configuration`). Throws a {@link ConfigFileError} saying what is wrong.
 *
 * The YAML is checked here first: the SDK's parser keeps whatever it can make of a broken document
 * (`value: "unterminated` is read as `unterminated`), which would configure the SDK from a guess.
 */
export function parseConfigurationFile(file: string): ConfigurationModel {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(`cannot be read (${messageOf(error)})`);
  }
  const yamlErrors = parseDocument(text, { version: '1.2' }).errors;
  if (yamlErrors.length > 0) {
    const more = yamlErrors.length > 1 ? ` (and ${yamlErrors.length - 1} more)` : '';
    throw new ConfigFileError(`is not valid YAML: ${firstLine(yamlErrors[0]?.message)}${more}`);
  }
  try {
    return parseConfigFile(file);
  } catch (error) {
    throw new ConfigFileError(describeParseError(error, file));
  }
}

/**
 * The one line about a file that is not applied, written whatever `OTEL_LOG_LEVEL` says: the telemetry
 * then goes where the environment says, not where the file does, and whoever wrote the file must see why.
 * (`console.warn` is where the SDK's `DiagConsoleLogger` writes its warnings, so the line looks the same.)
 */
export function warnConfigFileNotApplied(file: string, problem: unknown): void {
  const reason = problem instanceof ConfigFileError ? problem.message : `cannot be applied: ${describeError(problem)}`;
  console.warn(
    `${CONFIG_FILE_VARIABLE}="${file}" ${reason}; configuring OpenTelemetry from the OTEL_* environment variables instead`,
  );
}

/**
 * The SDK's message, without the file's name (the line gives it) and on one line: schema errors come
 * several to a message, one a line.
 */
function describeParseError(error: unknown, file: string): string {
  const message = messageOf(error).replaceAll(`${file}: `, '');
  const schema = /^Invalid OpenTelemetry config file: (.*)$/s.exec(message);
  const detail = (schema?.[1] ?? message)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('; ');
  return schema ? `does not match the configuration schema: ${detail}` : `is not a configuration file: ${detail}`;
}

/** An error's message; `instanceof Error` is not enough (Node's fs errors come from another realm under Jest). */
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

function firstLine(message: string | undefined): string {
  return (message ?? 'unknown error').split('\n')[0]?.replace(/:$/, '') ?? '';
}
