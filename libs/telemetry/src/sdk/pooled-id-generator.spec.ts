import crypto from 'node:crypto';
import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import { PooledIdGenerator } from './pooled-id-generator';

describe('PooledIdGenerator', () => {
  afterEach(() => jest.restoreAllMocks());

  it('makes valid trace and span ids: lowercase hex, 32 and 16 characters', () => {
    const ids = new PooledIdGenerator();
    const traceId = ids.generateTraceId();
    const spanId = ids.generateSpanId();
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(isValidTraceId(traceId) && isValidSpanId(spanId)).toBe(true);
  });

  it('never gives an id twice, across many refills of its pool', () => {
    const ids = new PooledIdGenerator();
    const drawn = new Set<string>();
    for (let index = 0; index < 5_000; index++) {
      drawn.add(ids.generateTraceId());
      drawn.add(ids.generateSpanId());
    }
    expect(drawn.size).toBe(10_000);
  });

  it('draws from the operating system’s generator a pool at a time, not once per id', () => {
    const fill = jest.spyOn(crypto, 'randomFillSync');
    const ids = new PooledIdGenerator();
    for (let index = 0; index < 200; index++) ids.generateSpanId();
    expect(fill).toHaveBeenCalledTimes(1);
  });

  it('skips an all-zero draw, the invalid id', () => {
    const fill = jest.spyOn(crypto, 'randomFillSync').mockImplementation((buffer) => {
      const bytes = buffer as Buffer;
      bytes.fill(0, 0, 8);
      bytes.fill(0xab, 8);
      return bytes;
    });
    const spanId = new PooledIdGenerator().generateSpanId();
    expect(fill).toHaveBeenCalled();
    expect(spanId).toBe('abababababababab');
  });
});
