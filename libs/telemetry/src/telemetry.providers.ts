import type { Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { metrics, trace } from '@opentelemetry/api';
import { MetricService, TraceService } from 'nestjs-otel';
import { MeterService } from './metrics/meter.service';
import { NestHandlersInstrumentation } from './nest-handlers/nest-handlers.instrumentation';
import { getStartedTelemetry, isTelemetryDisabled } from './state/started-telemetry';
import { type TelemetryModuleOptions, validateModuleOptions } from './telemetry-module-options';
import { GIVEN_MODULE_OPTIONS } from './telemetry.module-definition';
import { APP_SCOPE, METER, TELEMETRY_MODULE_OPTIONS, TRACER } from './telemetry.constants';
import { HttpRouteGuard } from './tracing/http-route.guard';

const DEFAULT_SCOPE_NAME = 'app';

/** `forRoot()`'s options are typed by the caller: used as given. */
export const GIVEN_OPTIONS_PROVIDER: Provider = {
  provide: TELEMETRY_MODULE_OPTIONS,
  useExisting: GIVEN_MODULE_OPTIONS,
};

/** `forRootAsync()`'s come from configuration at run time: checked at start-up, naming the option and the value. */
export const CHECKED_OPTIONS_PROVIDER: Provider = {
  provide: TELEMETRY_MODULE_OPTIONS,
  useFactory: validateModuleOptions,
  inject: [GIVEN_MODULE_OPTIONS],
};

/**
 * What `TelemetryModule` provides from its options: the app's scope, its `Tracer` and `Meter`, `MeterService`,
 * nestjs-otel's services, the guard that names HTTP routes, and the spans of messages, scheduled jobs and events
 * (`NestHandlersInstrumentation`). Read when the module is imported, because
 * disabled telemetry (`OTEL_SDK_DISABLED=true`) records no route: the guard would be a cost for nothing.
 */
export function telemetryProviders(): Provider[] {
  return [
    {
      provide: APP_SCOPE,
      useFactory: (options: TelemetryModuleOptions) =>
        options.scopeName ?? getStartedTelemetry()?.serviceName ?? DEFAULT_SCOPE_NAME,
      inject: [TELEMETRY_MODULE_OPTIONS],
    },
    {
      provide: TRACER,
      useFactory: (scope: string, options: TelemetryModuleOptions) => trace.getTracer(scope, options.scopeVersion),
      inject: [APP_SCOPE, TELEMETRY_MODULE_OPTIONS],
    },
    {
      provide: METER,
      useFactory: (scope: string, options: TelemetryModuleOptions) => metrics.getMeter(scope, options.scopeVersion),
      inject: [APP_SCOPE, TELEMETRY_MODULE_OPTIONS],
    },
    MeterService,
    TraceService,
    MetricService,
    ...(isTelemetryDisabled() ? [] : [{ provide: APP_GUARD, useClass: HttpRouteGuard }, NestHandlersInstrumentation]),
  ];
}

/** What the (global) module gives every other module. */
export const TELEMETRY_EXPORTS = [TRACER, METER, APP_SCOPE, MeterService, TraceService, MetricService];
