import { randomFillSync } from 'node:crypto';
import type { IdGenerator } from '@opentelemetry/sdk-trace';

/** Bytes drawn at once: 256 trace ids, or 512 span ids. */
const POOL_BYTES = 4096;
const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;

/**
 * Trace and span ids read from a pool of random bytes that the operating system's generator fills a pool at
 * a time, where the SDK's own generator calls `Math.random()` for every 4 bytes of every id. Ids are thus
 * drawn from a cryptographic source, as W3C Trace Context recommends. Each id is its own string: a slice of
 * one hex text per pool would be cheaper, but would keep the whole pool's text alive for as long as any of its
 * ids is kept (an exemplar can keep one for the process' life). An all-zero draw (the invalid id) is skipped.
 */
export class PooledIdGenerator implements IdGenerator {
  private readonly pool = Buffer.alloc(POOL_BYTES);
  private offset = POOL_BYTES;

  generateTraceId(): string {
    return this.nextId(TRACE_ID_BYTES);
  }

  generateSpanId(): string {
    return this.nextId(SPAN_ID_BYTES);
  }

  private nextId(bytes: number): string {
    if (this.offset + bytes > POOL_BYTES) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const start = this.offset;
    this.offset = start + bytes;
    return this.isZero(start, bytes) ? this.nextId(bytes) : this.pool.toString('hex', start, start + bytes);
  }

  private isZero(start: number, bytes: number): boolean {
    for (let index = start; index < start + bytes; index++) {
      if (this.pool[index] !== 0) return false;
    }
    return true;
  }
}
