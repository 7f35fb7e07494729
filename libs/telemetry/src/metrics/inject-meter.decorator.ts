import { Inject } from '@nestjs/common';
import { METER } from '../telemetry.constants';

/**
 * Injects the OpenTelemetry `Meter` of the app's instrumentation scope (`TelemetryModuleOptions.scopeName`).
 *
 * @example
 * class Orders { constructor(@InjectMeter() private readonly meter: Meter) {} }
 */
export const InjectMeter = (): ParameterDecorator & PropertyDecorator => Inject(METER);
