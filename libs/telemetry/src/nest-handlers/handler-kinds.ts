/** What of Nest's non-HTTP work is traced; each can be turned off by name. */
export interface HandlerKinds {
  /** `nestjs-messaging`: `ClientProxy` PRODUCER spans, CONSUMER spans of microservice servers. */
  messaging: boolean;
  /** `nestjs-schedule`: `@Cron()`, `@Interval()`, `@Timeout()` runs. */
  schedule: boolean;
  /** `nestjs-event-emitter`: `@OnEvent()` handlers. */
  events: boolean;
}

/**
 * The kinds left on by `OTEL_NODE_DISABLED_INSTRUMENTATIONS` (a comma-separated list, the variable OpenTelemetry's
 * Node auto-instrumentations read): `nestjs-messaging`, `nestjs-schedule`, `nestjs-event-emitter`.
 */
export function enabledHandlerKinds(disabled: string | undefined): HandlerKinds {
  const names = new Set((disabled ?? '').split(',').map((name) => name.trim()));
  return {
    messaging: !names.has('nestjs-messaging'),
    schedule: !names.has('nestjs-schedule'),
    events: !names.has('nestjs-event-emitter'),
  };
}
