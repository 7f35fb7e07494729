import { Inject } from '@nestjs/common';
import { TRACER } from '../telemetry.constants';

/** Injects the OpenTelemetry `Tracer` of the app's instrumentation scope. */
export const InjectTracer = (): ParameterDecorator & PropertyDecorator => Inject(TRACER);
