/** Where the app listens: `PORT` and `HOST` from the environment, else the defaults given. */
export interface ListenAddress {
  port: number;
  host: string;
}

export interface ListenDefaults {
  /** Default 3000. `PORT` in the environment wins over it. */
  port?: number;
  /** Default `0.0.0.0` (every IPv4 interface, as a container expects). `HOST` wins over it; tests set `127.0.0.1`. */
  host?: string;
}

const MAX_PORT = 65535;

/** Reads `PORT` and `HOST`; a `PORT` that is not a TCP port is an error naming the variable and value. */
export function readListenAddress(env: NodeJS.ProcessEnv, defaults: ListenDefaults = {}): ListenAddress {
  return {
    port: readPort(env['PORT']?.trim()) ?? defaults.port ?? 3000,
    host: env['HOST']?.trim() || defaults.host || '0.0.0.0',
  };
}

function readPort(value: string | undefined): number | undefined {
  if (!value) return undefined;
  // 0 is allowed: the system picks a free port.
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(port <= MAX_PORT)) {
    throw new Error(`PORT="${value}" is not a TCP port: expected an integer from 0 to ${MAX_PORT}`);
  }
  return port;
}
