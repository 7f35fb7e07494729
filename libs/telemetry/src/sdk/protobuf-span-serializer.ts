import type { AttributeValue, Attributes, HrTime, Link, SpanContext } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';

/**
 * The OTLP `ExportTraceServiceRequest` of a batch of spans, in protobuf: the same bytes as
 * `@opentelemetry/otlp-transformer`'s `ProtobufTraceSerializer` (a spec compares them), written for less
 * work per span. Its writer encodes every string anew and turns each id from hex into a new array; here the
 * names a span repeats (attribute keys, span and event names, the scope) are copied as the bytes they were
 * encoded to, values are encoded as its writer does (a short ASCII one a character at a time, any other by
 * Node's encoder), ids are written by Node's hex decoder, and one scratch buffer serves every batch. Responses
 * are read by the transformer's own deserializer.
 */
export const protobufSpanSerializer = {
  serializeRequest(spans: ReadableSpan[]): Uint8Array {
    return encodeRequest(spans);
  },
  deserializeResponse: ProtobufTraceSerializer.deserializeResponse,
};

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;
const SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE = 0x100;
const SPAN_FLAGS_CONTEXT_IS_REMOTE = 0x200;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;
/**
 * Names up to this length are kept encoded, up to this many of them (a few megabytes at most). Only names:
 * attribute values (paths, user agents, addresses) are mostly seen once, and are not kept past their span.
 */
const MAX_CACHED_NAME_LENGTH = 128;
const MAX_CACHED_NAMES = 4096;
const INITIAL_BUFFER_BYTES = 64 * 1024;
/** Strings and encoded names up to this many characters or bytes are copied one at a time (see `utf8()`). */
const BYTEWISE_MAX_LENGTH = 64;
/** A batch that grew the scratch buffer past this gives the memory back once it is written. */
const MAX_KEPT_BUFFER_BYTES = 1024 * 1024;

/** A protobuf writer over one growing buffer; a message's length is written once its end is known. */
class ProtobufEncoder {
  private buffer = Buffer.allocUnsafe(INITIAL_BUFFER_BYTES);
  private readonly encodedNames = new Map<string, Buffer>();
  private readonly encodedKeys = new Map<string, Buffer>();
  pos = 0;

  /** The bytes written since `reset()`, copied: the scratch buffer is written over by the next batch. */
  takeBytes(): Uint8Array {
    const bytes = Buffer.from(this.buffer.subarray(0, this.pos));
    if (this.buffer.length > MAX_KEPT_BUFFER_BYTES) this.buffer = Buffer.allocUnsafe(INITIAL_BUFFER_BYTES);
    return bytes;
  }

  reset(): void {
    this.pos = 0;
  }

  tag(field: number, wireType: number): void {
    const tag = (field << 3) | wireType;
    if (tag > 127) return this.varint(tag);
    // Fields 1 to 15, nearly all of a trace request's: one byte.
    this.ensure(1);
    this.buffer[this.pos++] = tag;
  }

  varint(value: number): void {
    this.ensure(10);
    if (value >= 0 && value <= 0xffffffff) {
      this.pos = this.varint32At(this.pos, value >>> 0);
      return;
    }
    let [low, high] = toUint64Words(value);
    while (high > 0 || low > 127) {
      this.buffer[this.pos++] = (low & 127) | 128;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    this.buffer[this.pos++] = low & 127;
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.pos = this.buffer.writeUInt32LE(value >>> 0, this.pos);
  }

  fixed64(low: number, high: number): void {
    this.ensure(8);
    this.pos = this.buffer.writeUInt32LE(low >>> 0, this.pos);
    this.pos = this.buffer.writeUInt32LE(high >>> 0, this.pos);
  }

  double(value: number): void {
    this.ensure(8);
    this.pos = this.buffer.writeDoubleLE(value, this.pos);
  }

  /** A string, length first, in UTF-8 (a lone surrogate as U+FFFD, as `TextEncoder` writes it). */
  string(value: string): void {
    const byteLength = utf8Length(value);
    this.varint(byteLength);
    this.ensure(byteLength);
    this.utf8(value, byteLength);
  }

  /** A name a span repeats, as `string()` writes it: from the names kept encoded when it was seen before. */
  name(value: string): void {
    const encoded = this.encodedNames.get(value);
    if (encoded) {
      this.ensure(encoded.length);
      this.copy(encoded);
      return;
    }
    const start = this.pos;
    this.string(value);
    if (value.length <= MAX_CACHED_NAME_LENGTH && this.encodedNames.size < MAX_CACHED_NAMES)
      this.encodedNames.set(value, Buffer.from(this.buffer.subarray(start, this.pos)));
  }

  /**
   * A `KeyValue` with a string value, as field `field` of its message, its lengths computed before it is
   * written (no message to finish): the attribute shape of nearly every span.
   */
  stringKeyValue(field: number, key: string, value: string): void {
    const valueLength = utf8Length(value);
    this.keyValueHeader(field, key, 1 + varintSize(valueLength) + valueLength);
    this.buffer[this.pos++] = (1 << 3) | WIRE_LENGTH_DELIMITED;
    this.pos = this.varint32At(this.pos, valueLength);
    this.utf8(value, valueLength);
  }

  /** A `KeyValue` with an integer value from 0 to 2^32 − 1 (status codes, ports), as `stringKeyValue()`. */
  smallIntKeyValue(field: number, key: string, value: number): void {
    this.keyValueHeader(field, key, 1 + varintSize(value));
    this.buffer[this.pos++] = (3 << 3) | WIRE_VARINT;
    this.pos = this.varint32At(this.pos, value);
  }

  /** Tag and length of a `KeyValue`, its key, and the tag and length of its value; room made for the value. */
  private keyValueHeader(field: number, key: string, anyValueLength: number): void {
    const keyPart = this.encodedKey(key);
    const keyValueLength = keyPart.length + varintSize(anyValueLength) + anyValueLength;
    this.ensure(1 + varintSize(keyValueLength) + keyValueLength);
    this.buffer[this.pos++] = (field << 3) | WIRE_LENGTH_DELIMITED;
    this.pos = this.varint32At(this.pos, keyValueLength);
    this.copy(keyPart);
    this.pos = this.varint32At(this.pos, anyValueLength);
  }

  /**
   * `value` in UTF-8, `byteLength` bytes as `utf8Length()` counted them, room made by the caller. A short ASCII
   * string (most values: paths, addresses, methods) is copied a character at a time, which for a few dozen
   * characters costs less than the call into Node's encoder; any other string is Node's to encode.
   */
  private utf8(value: string, byteLength: number): void {
    if (byteLength !== value.length || byteLength > BYTEWISE_MAX_LENGTH) {
      this.pos += this.buffer.write(value, this.pos, byteLength, 'utf8');
      return;
    }
    const { buffer, pos } = this;
    for (let index = 0; index < byteLength; index++) buffer[pos + index] = value.charCodeAt(index);
    this.pos = pos + byteLength;
  }

  /** Bytes kept encoded, room made by the caller: a short run is copied in a loop, as `utf8()` copies characters. */
  private copy(bytes: Uint8Array): void {
    const { buffer, pos } = this;
    if (bytes.length > BYTEWISE_MAX_LENGTH) buffer.set(bytes, pos);
    else for (let index = 0; index < bytes.length; index++) buffer[pos + index] = bytes[index] as number;
    this.pos = pos + bytes.length;
  }

  /** A `KeyValue`'s key field and the tag of its value field, kept encoded as names are. */
  private encodedKey(key: string): Buffer {
    const cached = this.encodedKeys.get(key);
    if (cached) return cached;
    const keyLength = Buffer.byteLength(key);
    const encoded = Buffer.allocUnsafe(1 + varintSize(keyLength) + keyLength + 1);
    encoded[0] = (1 << 3) | WIRE_LENGTH_DELIMITED;
    let at = 1;
    for (let remaining = keyLength; ; remaining >>>= 7) {
      encoded[at++] = remaining > 127 ? (remaining & 127) | 128 : remaining;
      if (remaining <= 127) break;
    }
    at += encoded.write(key, at, keyLength, 'utf8');
    encoded[at] = (2 << 3) | WIRE_LENGTH_DELIMITED;
    if (key.length <= MAX_CACHED_NAME_LENGTH && this.encodedKeys.size < MAX_CACHED_NAMES)
      this.encodedKeys.set(key, encoded);
    return encoded;
  }

  /** A trace or span id given in hex, as its bytes. */
  hexBytes(hex: string): void {
    const byteLength = hex.length >>> 1;
    this.varint(byteLength);
    this.ensure(byteLength);
    const written = this.buffer.write(hex, this.pos, byteLength, 'hex');
    // Node stops at the first pair that is not hex; the transformer decodes every pair by the same arithmetic.
    for (let index = written; index < byteLength; index++)
      this.buffer[this.pos + index] = (hexDigit(hex, 2 * index) << 4) | hexDigit(hex, 2 * index + 1);
    this.pos += byteLength;
  }

  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.ensure(value.length);
    this.copy(value);
  }

  /** Starts a length-delimited message: one byte kept for its length, the usual size of a small message's. */
  startMessage(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Writes the length of the message started at `start`, moving its bytes when the length takes more than one. */
  finishMessage(start: number): void {
    const length = this.pos - start - 1;
    const lengthBytes = varintSize(length);
    if (lengthBytes > 1) {
      this.ensure(lengthBytes - 1);
      this.buffer.copyWithin(start + lengthBytes, start + 1, this.pos);
      this.pos += lengthBytes - 1;
    }
    this.varint32At(start, length);
  }

  /** An unsigned 32-bit varint at `at`, room made by the caller; returns the position after it. */
  private varint32At(at: number, value: number): number {
    let position = at;
    let remaining = value;
    while (remaining > 127) {
      this.buffer[position++] = (remaining & 127) | 128;
      remaining >>>= 7;
    }
    this.buffer[position++] = remaining;
    return position;
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.pos);
    this.buffer = grown;
  }
}

/**
 * The UTF-8 length of `value`: a short string is scanned here, and when it is all ASCII its length is its
 * number of characters (any other character takes two bytes or more, so the lengths then differ).
 */
function utf8Length(value: string): number {
  const length = value.length;
  if (length > BYTEWISE_MAX_LENGTH) return Buffer.byteLength(value);
  for (let index = 0; index < length; index++) if (value.charCodeAt(index) > 127) return Buffer.byteLength(value);
  return length;
}

/** A hex digit's value as the transformer computes it, whatever the character (`NaN` past the end). */
function hexDigit(hex: string, index: number): number {
  const code = hex.charCodeAt(index);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return code - 55;
}

function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/** A 64-bit integer as two 32-bit words, two's complement when negative. */
function toUint64Words(value: number): [number, number] {
  const magnitude = Math.abs(value);
  let low = magnitude >>> 0;
  let high = (magnitude / 0x100000000) >>> 0;
  if (value < 0) {
    low = ~low >>> 0;
    high = ~high >>> 0;
    low = (low + 1) >>> 0;
    if (low === 0) high = (high + 1) >>> 0;
  }
  return [low, high];
}

const encoder = new ProtobufEncoder();

function encodeRequest(spans: readonly ReadableSpan[]): Uint8Array {
  encoder.reset();
  for (const [resource, scopes] of groupByResourceAndScope(spans)) {
    encoder.tag(1, WIRE_LENGTH_DELIMITED);
    const resourceSpans = encoder.startMessage();
    writeResource(resource);
    for (const scopeSpans of scopes.values()) {
      encoder.tag(2, WIRE_LENGTH_DELIMITED);
      writeScopeSpans(scopeSpans);
    }
    if (resource.schemaUrl) {
      encoder.tag(3, WIRE_LENGTH_DELIMITED);
      encoder.string(resource.schemaUrl);
    }
    encoder.finishMessage(resourceSpans);
  }
  return encoder.takeBytes();
}

type Resource = ReadableSpan['resource'];
type Scope = ReadableSpan['instrumentationScope'];

/** Spans by resource, then by instrumentation scope, both by identity and in the order first seen. */
function groupByResourceAndScope(spans: readonly ReadableSpan[]): Map<Resource, Map<Scope, ReadableSpan[]>> {
  const resources = new Map<Resource, Map<Scope, ReadableSpan[]>>();
  for (const span of spans) {
    let scopes = resources.get(span.resource);
    if (!scopes) resources.set(span.resource, (scopes = new Map()));
    let scopeSpans = scopes.get(span.instrumentationScope);
    if (!scopeSpans) scopes.set(span.instrumentationScope, (scopeSpans = []));
    scopeSpans.push(span);
  }
  return resources;
}

function writeResource(resource: Resource): void {
  encoder.tag(1, WIRE_LENGTH_DELIMITED);
  const message = encoder.startMessage();
  if (resource.attributes) writeAttributes(resource.attributes, 1);
  encoder.tag(2, WIRE_VARINT);
  encoder.varint(0);
  encoder.finishMessage(message);
}

function writeScopeSpans(spans: readonly ReadableSpan[]): void {
  const message = encoder.startMessage();
  const scope = spans[0]?.instrumentationScope;
  if (scope) writeScope(scope);
  for (const span of spans) {
    encoder.tag(2, WIRE_LENGTH_DELIMITED);
    writeSpan(span);
  }
  if (scope?.schemaUrl) {
    encoder.tag(3, WIRE_LENGTH_DELIMITED);
    encoder.string(scope.schemaUrl);
  }
  encoder.finishMessage(message);
}

function writeScope(scope: Scope & { attributes?: Attributes; droppedAttributesCount?: number }): void {
  encoder.tag(1, WIRE_LENGTH_DELIMITED);
  const message = encoder.startMessage();
  encoder.tag(1, WIRE_LENGTH_DELIMITED);
  encoder.name(scope.name);
  if (scope.version) {
    encoder.tag(2, WIRE_LENGTH_DELIMITED);
    encoder.name(scope.version);
  }
  if (scope.attributes) writeAttributes(scope.attributes, 3);
  if (scope.droppedAttributesCount) {
    encoder.tag(4, WIRE_VARINT);
    encoder.varint(scope.droppedAttributesCount);
  }
  encoder.finishMessage(message);
}

function writeSpan(span: ReadableSpan): void {
  const message = encoder.startMessage();
  const context = span.spanContext();
  writeContextFields(context);
  const parentSpanId = span.parentSpanContext?.spanId;
  if (parentSpanId) {
    encoder.tag(4, WIRE_LENGTH_DELIMITED);
    encoder.hexBytes(parentSpanId);
  }
  encoder.tag(5, WIRE_LENGTH_DELIMITED);
  encoder.name(span.name);
  // OTLP's SpanKind counts from UNSPECIFIED = 0; the API's from INTERNAL = 0.
  const kind = span.kind == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    encoder.tag(6, WIRE_VARINT);
    encoder.varint(kind);
  }
  encoder.tag(7, WIRE_FIXED64);
  writeHrTime(span.startTime);
  encoder.tag(8, WIRE_FIXED64);
  writeHrTime(span.endTime);
  if (span.attributes) writeAttributes(span.attributes, 9);
  encoder.tag(10, WIRE_VARINT);
  encoder.varint(span.droppedAttributesCount);
  for (const event of span.events) {
    encoder.tag(11, WIRE_LENGTH_DELIMITED);
    writeEvent(event);
  }
  encoder.tag(12, WIRE_VARINT);
  encoder.varint(span.droppedEventsCount);
  for (const link of span.links) {
    encoder.tag(13, WIRE_LENGTH_DELIMITED);
    writeLink(link);
  }
  encoder.tag(14, WIRE_VARINT);
  encoder.varint(span.droppedLinksCount);
  encoder.tag(15, WIRE_LENGTH_DELIMITED);
  writeStatus(span.status);
  encoder.tag(16, WIRE_FIXED32);
  encoder.fixed32(spanFlags(context.traceFlags, span.parentSpanContext?.isRemote));
  encoder.finishMessage(message);
}

/** Fields 1 to 3 of a Span and of a Link alike: trace id, span id, trace state. */
function writeContextFields(context: SpanContext): void {
  encoder.tag(1, WIRE_LENGTH_DELIMITED);
  encoder.hexBytes(context.traceId);
  encoder.tag(2, WIRE_LENGTH_DELIMITED);
  encoder.hexBytes(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    encoder.tag(3, WIRE_LENGTH_DELIMITED);
    encoder.string(traceState);
  }
}

function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE | (isRemote ? SPAN_FLAGS_CONTEXT_IS_REMOTE : 0);
}

function writeEvent(event: TimedEvent): void {
  const message = encoder.startMessage();
  encoder.tag(1, WIRE_FIXED64);
  writeHrTime(event.time);
  encoder.tag(2, WIRE_LENGTH_DELIMITED);
  encoder.name(event.name);
  if (event.attributes) writeAttributes(event.attributes, 3);
  encoder.tag(4, WIRE_VARINT);
  encoder.varint(event.droppedAttributesCount || 0);
  encoder.finishMessage(message);
}

function writeLink(link: Link): void {
  const message = encoder.startMessage();
  const { context } = link;
  writeContextFields(context);
  if (link.attributes) writeAttributes(link.attributes, 4);
  encoder.tag(5, WIRE_VARINT);
  encoder.varint(link.droppedAttributesCount || 0);
  encoder.tag(6, WIRE_FIXED32);
  encoder.fixed32(spanFlags(context.traceFlags, context.isRemote));
  encoder.finishMessage(message);
}

function writeStatus(status: ReadableSpan['status']): void {
  const message = encoder.startMessage();
  if (status.message) {
    encoder.tag(2, WIRE_LENGTH_DELIMITED);
    encoder.string(status.message);
  }
  encoder.tag(3, WIRE_VARINT);
  encoder.varint(status.code);
  encoder.finishMessage(message);
}

/** `[seconds, nanoseconds]` as nanoseconds since the epoch, fixed64, exact beyond 2^53. */
function writeHrTime([seconds, nanos]: HrTime): void {
  const NANOS_PER_SECOND = 1e9;
  const WORD = 0x100000000;
  const fromLowSeconds = (seconds & 0xffff) * NANOS_PER_SECOND;
  const fromHighSeconds = ((seconds / 0x10000) >>> 0) * NANOS_PER_SECOND;
  const low = (fromLowSeconds >>> 0) + (fromHighSeconds & 0xffff) * 0x10000 + nanos;
  const high = Math.floor(fromLowSeconds / WORD) + ((fromHighSeconds / 0x10000) >>> 0) + Math.floor(low / WORD);
  encoder.fixed64(low >>> 0, high >>> 0);
}

function writeAttributes(attributes: Attributes, field: number): void {
  for (const key in attributes) {
    if (!Object.prototype.hasOwnProperty.call(attributes, key)) continue;
    const value = attributes[key];
    if (typeof value === 'string') encoder.stringKeyValue(field, key, value);
    else if (isSmallInteger(value)) encoder.smallIntKeyValue(field, key, value);
    else {
      encoder.tag(field, WIRE_LENGTH_DELIMITED);
      writeKeyValue(key, value);
    }
  }
}

function isSmallInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

function writeKeyValue(key: string, value: unknown): void {
  const message = encoder.startMessage();
  encoder.tag(1, WIRE_LENGTH_DELIMITED);
  encoder.name(key);
  encoder.tag(2, WIRE_LENGTH_DELIMITED);
  const anyValue = encoder.startMessage();
  writeAnyValue(value);
  encoder.finishMessage(anyValue);
  encoder.finishMessage(message);
}

function writeAnyValue(value: AttributeValue | Record<string, unknown> | unknown): void {
  if (typeof value === 'string') {
    encoder.tag(1, WIRE_LENGTH_DELIMITED);
    encoder.string(value);
  } else if (typeof value === 'boolean') {
    encoder.tag(2, WIRE_VARINT);
    encoder.varint(value ? 1 : 0);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
      encoder.tag(3, WIRE_VARINT);
      encoder.varint(value);
    } else {
      encoder.tag(4, WIRE_FIXED64);
      encoder.double(value);
    }
  } else if (value instanceof Uint8Array) {
    encoder.tag(7, WIRE_LENGTH_DELIMITED);
    encoder.bytes(value);
  } else if (Array.isArray(value)) {
    encoder.tag(5, WIRE_LENGTH_DELIMITED);
    const array = encoder.startMessage();
    for (const item of value) {
      encoder.tag(1, WIRE_LENGTH_DELIMITED);
      const itemValue = encoder.startMessage();
      writeAnyValue(item);
      encoder.finishMessage(itemValue);
    }
    encoder.finishMessage(array);
  } else if (typeof value === 'object' && value !== null) {
    encoder.tag(6, WIRE_LENGTH_DELIMITED);
    const list = encoder.startMessage();
    const entries = value as Record<string, unknown>;
    for (const key in entries) {
      if (!Object.prototype.hasOwnProperty.call(entries, key)) continue;
      encoder.tag(1, WIRE_LENGTH_DELIMITED);
      writeKeyValue(key, entries[key]);
    }
    encoder.finishMessage(list);
  }
}
