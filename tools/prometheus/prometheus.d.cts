export declare const CONFIG_FILE: string;
export declare const RULES_DIR: string;
export declare function renderConfig(options?: {
  target?: string;
  targets?: Partial<Record<'health-api' | 'gateway-api', string>>;
  scrapeInterval?: string;
}): string;
export declare function promtool(args: string[], stdin?: string): { status: number | null; output: string };
export declare function freeLoopbackPort(): Promise<number>;
export declare function addressInUse(address: string): Promise<boolean>;
export declare function addressInUseMessage(address: string): Promise<string>;
export declare function reachable(address: string, timeoutMs?: number): Promise<boolean>;
export declare function startPrometheus(options?: {
  config?: string;
  listen?: string;
  readyTimeoutMs?: number;
  nativeHistograms?: boolean;
}): Promise<{ url: string; stop: () => Promise<void>; log: () => string }>;
export declare function query(
  url: string,
  promql: string,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
export declare function queryExemplars(
  url: string,
  promql: string,
  start: number,
  end: number,
): Promise<
  Array<{
    seriesLabels: Record<string, string>;
    exemplars: Array<{ labels: Record<string, string>; value: string; timestamp: number }>;
  }>
>;
export declare function graphUrl(url: string, expr: string, range?: string): string;
