/** Where the app listens: `PORT` and `HOST` from the environment, else the defaults given. */
export interface ListenAddress {
  port: number;
  host: string;
}

export interface ListenDefaults {
  /** Default 3000. */
  port?: number;
  /** Default `0.0.0.0` (every IPv4 interface, as a container expects); tests set `HOST=127.0.0.1`. */
  host?: string;
}

/** Reads `PORT` and `HOST`; a `PORT` that is not a TCP port is an error naming the variable and value. */
export function readListenAddress(env: NodeJS.ProcessEnv, defaults: ListenDefaults = {}): ListenAddress {
  const rawPort = env['PORT']?.trim();
  const port = rawPort ? Number(rawPort) : (defaults.port ?? 3000);
  // 0 is allowed: the system picks a free port.
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT="${env['PORT']}" is not a TCP port: expected an integer from 0 to 65535`);
  }
  return { port, host: env['HOST']?.trim() || defaults.host || '0.0.0.0' };
}
