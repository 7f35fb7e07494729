import { defaultResource, type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { hostname } from 'node:os';
import {
  ATTR_HOST_NAME,
  ATTR_PROCESS_PID,
  ATTR_PROCESS_RUNTIME_NAME,
  ATTR_PROCESS_RUNTIME_VERSION,
} from '@opentelemetry/semantic-conventions/incubating';

export interface ServiceIdentity {
  serviceName?: string;
  serviceVersion?: string;
}

/**
 * The resource every signal carries before the environment is applied: SDK identity, the service as
 * the code names it, and the process's runtime and pid.
 *
 * Written here rather than detected: the SDK's process detector records the full command line and
 * its arguments, which can hold secrets, and its host detector settles `host.id` asynchronously, which
 * makes every Prometheus scrape before it settles log an error. `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` are merged
 * over this by the environment detector, so they win.
 */
export function createBaseResource({ serviceName, serviceVersion }: ServiceIdentity): Resource {
  return defaultResource().merge(
    resourceFromAttributes({
      ...(serviceName ? { [ATTR_SERVICE_NAME]: serviceName } : {}),
      ...(serviceVersion ? { [ATTR_SERVICE_VERSION]: serviceVersion } : {}),
      [ATTR_HOST_NAME]: hostname(),
      [ATTR_PROCESS_PID]: process.pid,
      [ATTR_PROCESS_RUNTIME_NAME]: 'nodejs',
      [ATTR_PROCESS_RUNTIME_VERSION]: process.versions.node,
    }),
  );
}
