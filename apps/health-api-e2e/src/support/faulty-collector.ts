import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * How a collector can fail the app:
 * - `down`: nothing listens on its port (connection refused);
 * - `reset`: it accepts each connection and resets it at once (connection reset);
 * - `blackhole`: it accepts, reads everything, and never answers.
 */
export type CollectorFault = 'down' | 'reset' | 'blackhole';

/** An OTLP endpoint on loopback that fails in one of those ways, recording the exports the app holds open. */
export class FaultyCollector {
  /**
   * Most connections open at the same time per OTLP path (`/v1/traces`, `/v1/logs`): what a collector
   * that never answers makes the app hold.
   */
  readonly maxOpenConnections: Record<string, number> = {};
  private readonly sockets = new Set<Socket>();
  /** Open connections that have sent a request, by the path they posted to. */
  private readonly open = new Map<Socket, string>();
  private readonly server: Server;

  constructor(private readonly fault: CollectorFault) {
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Resolves to the endpoint URL to give the app as `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    // `down`: the port was free a moment ago and nothing listens on it now.
    if (this.fault === 'down') await this.closeServer();
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.sockets.forEach((socket) => socket.destroy());
    if (this.server.listening) await this.closeServer();
  }

  private accept(socket: Socket): void {
    if (this.fault === 'reset') {
      socket.resetAndDestroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    // Read and discard, so the app's writes never block: it is only the answer that never comes.
    socket.once('data', (chunk: Buffer) =>
      this.track(socket, /^POST (\S+) /.exec(chunk.toString('latin1'))?.[1] ?? '?'),
    );
    socket.resume();
  }

  private track(socket: Socket, path: string): void {
    this.open.set(socket, path);
    const openOnPath = [...this.open.values()].filter((openPath) => openPath === path).length;
    this.maxOpenConnections[path] = Math.max(this.maxOpenConnections[path] ?? 0, openOnPath);
    socket.once('close', () => this.open.delete(socket));
  }

  private closeServer(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
