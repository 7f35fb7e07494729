import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';

/** Longest wait for spans that should end; past it the test fails naming what did end. */
const WAIT_LIMIT_MS = 5000;

/**
 * A span processor that keeps every span as it ends, for tests. `waitFor()` resolves the moment the
 * wanted number have ended, rather than after some delay: a SERVER span ends on the response's
 * `close`, just after the client has its answer, so reading spans right after a request races it.
 *
 * @example
 * const [server] = await telemetry.spans.waitFor(1);
 * expect(server.name).toBe('GET /orders/:id');
 */
export class FinishedSpans implements SpanProcessor {
  private finished: ReadableSpan[] = [];
  private waiters: Array<() => boolean> = [];

  /** The spans ended so far, in the order they ended. */
  get spans(): ReadableSpan[] {
    return this.finished;
  }

  /** Resolves to the ended spans once there are at least `count`. */
  waitFor(count: number): Promise<ReadableSpan[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${count} span(s) expected, ${this.names()} ended within ${WAIT_LIMIT_MS} ms`));
      }, WAIT_LIMIT_MS);
      const check = (): boolean => {
        if (this.finished.length < count) return false;
        clearTimeout(timer);
        resolve(this.finished);
        return true;
      };
      if (!check()) this.waiters.push(check);
    });
  }

  /** Forgets the spans ended so far. */
  reset(): void {
    this.finished = [];
  }

  onStart(): void {
    // Only ended spans are kept.
  }

  onEnd(span: ReadableSpan): void {
    this.finished.push(span);
    this.waiters = this.waiters.filter((check) => !check());
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  private names(): string {
    return this.finished.length === 0 ? 'none' : this.finished.map((span) => span.name).join(', ');
  }
}
