import { readEnv, readEnvNumber } from '../sdk/env';

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
  // 0 is allowed: the system picks a free port.
  const port = readEnvNumber(env, 'PORT', { min: 0, max: 65535, noun: 'a TCP port' }) ?? defaults.port ?? 3000;
  return { port, host: readEnv(env, 'HOST') ?? defaults.host ?? '0.0.0.0' };
}
