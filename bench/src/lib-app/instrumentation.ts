// Imported first by main.ts: OpenTelemetry must start before Nest, express and http load.
import { startTelemetry } from '@obs/telemetry/register';
import { PARTS } from './parts';

startTelemetry({ serviceName: 'bench-lib-app', runtimeMetrics: PARTS.runtimeMetrics });
