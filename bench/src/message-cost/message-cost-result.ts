/** The cases of the per-message micro-benchmark, each in processes of its own. */
export const MESSAGE_COST_CASES = [
  {
    id: 'untraced',
    label: 'messages untraced (OTEL_NODE_DISABLED_INSTRUMENTATIONS=nestjs-messaging), SDK on',
    env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'nestjs-messaging' },
  },
  {
    id: 'traced',
    label: 'messages traced: PRODUCER and CONSUMER spans exported over OTLP, both histograms',
    env: {},
  },
] as const;

export type MessageCostCaseId = (typeof MESSAGE_COST_CASES)[number]['id'];

/** What one process of a case measured: request-response round trips over Nest's TCP transport, both ends in it. */
export interface MessageCostSample {
  /** CPU time of the process (both ends) per round trip, in microseconds. */
  cpuUsPerMessage: number;
  /** Elapsed time per round trip, one at a time, in microseconds. */
  elapsedUsPerMessage: number;
  messages: number;
}

/** One case, its figures the medians over its processes. */
export interface MessageCostCase extends MessageCostSample {
  id: MessageCostCaseId;
  label: string;
  /** `cpuUsPerMessage` minus the untraced case's. */
  overheadCpuUs: number;
  /** Spans the sink received from the traced processes (two per round trip when none were lost), else null. */
  spansExported: number | null;
}

export interface MessageCostSettings {
  /** Round trips measured per process, after as many again for the JIT. */
  messages: number;
  /** Processes per case, run alternately (untraced, traced, untraced, …). */
  processes: number;
}
