// Bundled from the library's source (libs/telemetry/src/tracing/span.decorator.ts) through its public face.
import { Span } from '@obs/telemetry';

/** The same trivial work twice: once as a plain method, once wrapped by the library's `@Span()`. */
export class Subject {
  private calls = 0;

  plain(): number {
    return ++this.calls;
  }

  @Span()
  traced(): number {
    return ++this.calls;
  }
}
