import type { HrTime } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';

/**
 * What the console exporters share: a document written as JSON in the shape of the Python SDK's console
 * exporters (the getting-started this project follows), indented for a person at a terminal and one
 * document per line otherwise, so that `| jq` and line-by-line readers take either. Never colour.
 */

/** Where a console exporter writes: `process.stdout`, as the SDK's console exporters do. */
export interface ConsoleStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Python's `json.dumps(indent=4)`, as its span documents are printed. */
const TERMINAL_INDENT = 4;

export function writeDocument(stream: ConsoleStream, document: object): void {
  stream.write(`${JSON.stringify(document, undefined, stream.isTTY ? TERMINAL_INDENT : undefined)}\n`);
}

/** A trace or span id as Python prints it: `0x` and the hex digits. */
export function hexId(id: string): string {
  return `0x${id}`;
}

/** A time as Python's console exporter prints it, in UTC to the microsecond: `2022-10-13T03:50:31.090144Z`. */
export function isoTime([seconds, nanos]: HrTime): string {
  const micros = String(Math.floor(nanos / 1000)).padStart(6, '0');
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${micros}Z`;
}

const rawJson = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;

/**
 * A time in nanoseconds since the epoch, as a JSON integer to the nanosecond: a JS number holds only
 * about 16 digits of its 19, so it is written as raw JSON text (a number, as Python writes it).
 */
export function unixNanos([seconds, nanos]: HrTime): unknown {
  const text = `${seconds}${String(nanos).padStart(9, '0')}`.replace(/^0+(?=\d)/, '');
  return rawJson ? rawJson(text) : Number(text);
}

/** A resource as Python prints it: its attributes and its schema URL (`""` when none). */
export function resourceDocument(resource: Resource): { attributes: object; schema_url: string } {
  return { attributes: resource.attributes, schema_url: resource.schemaUrl ?? '' };
}
