/**
 * Span counts in the peers' own export formats, read without a decoder library, so that the sink can
 * tell how many spans each agent really sent: dd-trace's agent API (msgpack), Elastic's intake v2
 * (ndjson) and Sentry's envelopes.
 */

/**
 * dd-trace's `/v0.4/traces` body: a msgpack array of traces, each an array of span maps. `/v0.5/traces`
 * wraps the same in `[string table, traces]`.
 */
export function countDatadogSpans(body: Uint8Array, version: 'v0.4' | 'v0.5'): number {
  const reader = new MsgpackReader(body);
  if (version === 'v0.5') {
    if (reader.arrayLength() !== 2) throw new Error('v0.5 payload is not [strings, traces]');
    reader.skip();
  }
  let spans = 0;
  const traces = reader.arrayLength();
  for (let trace = 0; trace < traces; trace++) {
    const length = reader.arrayLength();
    spans += length;
    for (let span = 0; span < length; span++) reader.skip();
  }
  return spans;
}

/** Elastic intake v2: one JSON object per line; a transaction and each span are one line each. */
export function countElasticEvents(line: string): number {
  return line.startsWith('{"transaction"') || line.startsWith('{"span"') ? 1 : 0;
}

/**
 * A Sentry envelope: a header line, then items, each a header line and a payload (of `length` bytes when
 * the header says so, else up to the next newline). A `transaction` item is the root span plus its `spans`;
 * a `span` item (Sentry 10+ streams spans so) holds `items`, one per span.
 */
export function countSentrySpans(body: Buffer): number {
  let at = body.indexOf(0x0a);
  if (at === -1) return 0;
  at++;
  let spans = 0;
  while (at < body.length) {
    const headerEnd = lineEnd(body, at);
    const header = JSON.parse(body.subarray(at, headerEnd).toString('utf8')) as { type?: string; length?: number };
    const payloadStart = headerEnd + 1;
    const payloadEnd = header.length === undefined ? lineEnd(body, payloadStart) : payloadStart + header.length;
    if (header.type === 'transaction' || header.type === 'span') {
      const payload = JSON.parse(body.subarray(payloadStart, payloadEnd).toString('utf8')) as {
        spans?: unknown[];
        items?: unknown[];
      };
      spans += header.type === 'transaction' ? 1 + (payload.spans?.length ?? 0) : (payload.items?.length ?? 0);
    }
    at = payloadEnd + 1;
  }
  return spans;
}

function lineEnd(body: Buffer, from: number): number {
  const end = body.indexOf(0x0a, from);
  return end === -1 ? body.length : end;
}

/** Just enough msgpack to walk a document: array headers and skipping any value. */
class MsgpackReader {
  private at = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  arrayLength(): number {
    const type = this.byte();
    if ((type & 0xf0) === 0x90) return type & 0x0f;
    if (type === 0xdc) return this.uint(2);
    if (type === 0xdd) return this.uint(4);
    throw new Error(`msgpack: expected an array, found type 0x${type.toString(16)} at ${this.at - 1}`);
  }

  skip(): void {
    const type = this.byte();
    if (type <= 0x7f || type >= 0xe0 || type === 0xc0 || type === 0xc2 || type === 0xc3) return;
    if ((type & 0xe0) === 0xa0) return this.advance(type & 0x1f);
    if ((type & 0xf0) === 0x90) return this.skipMany(type & 0x0f);
    if ((type & 0xf0) === 0x80) return this.skipMany(2 * (type & 0x0f));
    const fixedSizes: Record<number, number> = {
      0xcc: 1,
      0xcd: 2,
      0xce: 4,
      0xcf: 8,
      0xd0: 1,
      0xd1: 2,
      0xd2: 4,
      0xd3: 8,
    };
    const fixed = fixedSizes[type] ?? { 0xca: 4, 0xcb: 8, 0xd4: 2, 0xd5: 3, 0xd6: 5, 0xd7: 9, 0xd8: 17 }[type];
    if (fixed !== undefined) return this.advance(fixed);
    switch (type) {
      case 0xd9:
      case 0xc4:
        return this.advance(this.uint(1));
      case 0xda:
      case 0xc5:
        return this.advance(this.uint(2));
      case 0xdb:
      case 0xc6:
        return this.advance(this.uint(4));
      case 0xc7:
        return this.advance(this.uint(1) + 1);
      case 0xc8:
        return this.advance(this.uint(2) + 1);
      case 0xc9:
        return this.advance(this.uint(4) + 1);
      case 0xdc:
        return this.skipMany(this.uint(2));
      case 0xdd:
        return this.skipMany(this.uint(4));
      case 0xde:
        return this.skipMany(2 * this.uint(2));
      case 0xdf:
        return this.skipMany(2 * this.uint(4));
      default:
        throw new Error(`msgpack: unknown type 0x${type.toString(16)} at ${this.at - 1}`);
    }
  }

  private skipMany(count: number): void {
    for (let index = 0; index < count; index++) this.skip();
  }

  private byte(): number {
    if (this.at >= this.bytes.length) throw new Error('msgpack: truncated');
    return this.bytes[this.at++] as number;
  }

  private uint(size: 1 | 2 | 4): number {
    const at = this.at;
    this.advance(size);
    return size === 1 ? this.view.getUint8(at) : size === 2 ? this.view.getUint16(at) : this.view.getUint32(at);
  }

  private advance(count: number): void {
    this.at += count;
    if (this.at > this.bytes.length) throw new Error('msgpack: truncated');
  }
}
