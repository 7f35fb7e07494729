/**
 * Counts the spans in an OTLP `ExportTraceServiceRequest` without decoding it, so that the sink can tell
 * how many spans really left the app (a batch processor drops spans silently when its queue is full).
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

/** Protobuf encoding: request.resource_spans(1) → scope_spans(2) → spans(2). */
export function countProtobufSpans(body: Uint8Array): number {
  let spans = 0;
  for (const resourceSpans of embeddedMessages(body, 0, body.length, 1)) {
    for (const scopeSpans of embeddedMessages(body, resourceSpans.start, resourceSpans.end, 2)) {
      spans += [...embeddedMessages(body, scopeSpans.start, scopeSpans.end, 2)].length;
    }
  }
  return spans;
}

/** JSON encoding: every span carries exactly one `"spanId"` key (links, absent here, would add more). */
export function countJsonSpans(body: string): number {
  let spans = 0;
  for (let at = body.indexOf('"spanId"'); at !== -1; at = body.indexOf('"spanId"', at + 8)) spans++;
  return spans;
}

interface Range {
  start: number;
  end: number;
}

/** The byte ranges of the length-delimited fields numbered `fieldNumber` in `bytes[start, end)`. */
function* embeddedMessages(bytes: Uint8Array, start: number, end: number, fieldNumber: number): Generator<Range> {
  let at = start;
  while (at < end) {
    const key = readVarint(bytes, at);
    at = key.next;
    const wireType = key.value % 8;
    switch (wireType) {
      case WIRE_VARINT:
        at = readVarint(bytes, at).next;
        break;
      case WIRE_FIXED64:
        at += 8;
        break;
      case WIRE_FIXED32:
        at += 4;
        break;
      case WIRE_LENGTH_DELIMITED: {
        const length = readVarint(bytes, at);
        const range = { start: length.next, end: length.next + length.value };
        if (Math.floor(key.value / 8) === fieldNumber) yield range;
        at = range.end;
        break;
      }
      default:
        throw new Error(`unsupported protobuf wire type ${wireType}`);
    }
  }
}

function readVarint(bytes: Uint8Array, start: number): { value: number; next: number } {
  let value = 0;
  let multiplier = 1;
  let at = start;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new Error('truncated protobuf varint');
    value += (byte & 0x7f) * multiplier;
    if (byte < 0x80) return { value, next: at };
    multiplier *= 128;
  }
}
