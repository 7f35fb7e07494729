// Imported first by main.ts: OpenTelemetry must start before Nest, express and http load.
import { startTelemetry } from '@obs/telemetry/register';

startTelemetry({ serviceName: 'gateway-api' });
