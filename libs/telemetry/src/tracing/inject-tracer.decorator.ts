import { Inject } from '@nestjs/common';
import { TRACER } from '../telemetry.constants';

/**
 * Injects the OpenTelemetry `Tracer` of the app's instrumentation scope (`TelemetryModuleOptions.scopeName`).
 *
 * @example
 * class Orders { constructor(@InjectTracer() private readonly tracer: Tracer) {} }
 */
export const InjectTracer = (): ParameterDecorator & PropertyDecorator => Inject(TRACER);
