// The public face of @obs/lifecycle: on which HTTP platform a Nest app of this workspace runs, how it listens and stops.
export { createApp, type CreateAppOptions, HTTP_PLATFORMS, type HttpPlatform } from './create-app';
export { serve, type ServeOptions } from './serve';
export { enableGracefulShutdown, type GracefulShutdownOptions } from './graceful-shutdown';
