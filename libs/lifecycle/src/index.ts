// The public face of @obs/lifecycle: how a Nest app of this workspace listens and stops.
export { serve, type ServeOptions } from './serve';
export { enableGracefulShutdown, type GracefulShutdownOptions } from './graceful-shutdown';
