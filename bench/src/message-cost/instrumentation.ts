// Imported first: OpenTelemetry starts before Nest and its microservices load, as in an app.
import { startTelemetry } from '@obs/telemetry/register';

startTelemetry({ serviceName: 'message-cost' });
