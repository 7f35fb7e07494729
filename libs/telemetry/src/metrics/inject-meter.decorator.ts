import { Inject } from '@nestjs/common';
import { METER } from '../telemetry.constants';

/** Injects the OpenTelemetry `Meter` of the app's instrumentation scope. */
export const InjectMeter = (): ParameterDecorator & PropertyDecorator => Inject(METER);
