import { ConfigFileError } from './config-file';

/** Where in the file a setting is, as a JSON pointer (`/tracer_provider/processors/0/batch`): for messages. */
export type ConfigPath = string;

/**
 * The one entry of a schema object that names a kind (`{ batch: {...} }`, `{ otlp_http: {...} }`): the
 * schema says "exactly one" but its types cannot, and the parser lets an empty or double one through.
 */
export function onlyEntry(model: object, path: ConfigPath): [string, unknown] {
  const entries = Object.entries(model).filter(([, value]) => value !== undefined);
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined) {
    const names = entries.map(([name]) => name).join(', ') || 'none';
    throw new ConfigFileError(`${path}: expected exactly one entry, found ${names}`);
  }
  return entry;
}

/**
 * The settings a file gives that nothing here applies, by path (`/tracer_provider/id_generator`), so that
 * one warning can list them rather than leave them silently unapplied (the SDK warns about its own the
 * same way).
 */
export class NotApplied {
  private readonly paths: ConfigPath[] = [];

  /** Notes the keys of `model` that are set and not in `applied`. */
  check(model: object | null | undefined, path: ConfigPath, applied: readonly string[]): void {
    for (const [key, value] of Object.entries(model ?? {})) {
      if (value !== undefined && value !== null && !applied.includes(key)) this.paths.push(`${path}/${key}`);
    }
  }

  list(): readonly ConfigPath[] {
    return this.paths;
  }
}
