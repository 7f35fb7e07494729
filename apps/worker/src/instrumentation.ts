// Imported first by main.ts: OpenTelemetry must start before Nest, express, http and the broker's client load.
import { startTelemetry } from '@obs/telemetry/register';

startTelemetry({ serviceName: 'worker' });
