// @obs/telemetry/register: the start-up of OpenTelemetry, free of Nest and express, so that it can run
// before they load. Either import it first (an app's `instrumentation.ts`):
//   import { startTelemetry } from '@obs/telemetry/register';
//   startTelemetry({ serviceName: 'orders' });
// or preload it, configured by the OTEL_* environment alone:
//   node --require @obs/telemetry/register dist/main.js   (where the library is installed as a package)
import { startTelemetry } from './sdk/start-telemetry';

export { startTelemetry } from './sdk/start-telemetry';
export type { StartTelemetryOptions } from './sdk/telemetry-options';
export { getTelemetry, type Telemetry } from './state/started-telemetry';

// Preloaded (`--require`), this module loads before the main one, and nobody else will call it.
if (require.main === undefined) startTelemetry();
