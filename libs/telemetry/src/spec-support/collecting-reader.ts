import { MetricReader } from '@opentelemetry/sdk-metrics';

/** A metric reader that collects only when asked (`collect()`), as a user's own reader might. */
export class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {
    // Nothing is buffered: each collect() reads afresh.
  }

  protected override async onShutdown(): Promise<void> {
    // Nothing to release.
  }
}
