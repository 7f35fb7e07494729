/** Sets `vars` in `process.env` (where the SDK reads its settings) until the returned function puts back what was there. */
export function withEnv(vars: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** `read()`'s result with `vars` set in `process.env` meanwhile. */
export function inEnv<T>(vars: Record<string, string>, read: () => T): T {
  const restore = withEnv(vars);
  try {
    return read();
  } finally {
    restore();
  }
}
