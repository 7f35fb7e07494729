import type { SinkStatsByVariant } from '../otlp-sink/sink-stats';

/** What the discarding OTLP sink has received so far, per variant. */
export async function readSinkStats(sinkUrl: string): Promise<SinkStatsByVariant> {
  return (await (await fetch(`${sinkUrl}/stats`)).json()) as SinkStatsByVariant;
}
