/** The environment that makes an app export over OTLP/HTTP JSON to the `OtlpReceiver` (or other collector) at `endpoint`. */
export function otlpJsonEnv(endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  return { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', ...extra };
}
