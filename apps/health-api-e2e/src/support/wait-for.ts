/**
 * Polls `probe` until it returns a value that is not `undefined`; fails after `timeoutMs` with `what`, or
 * at once when `stillPossible()` says the value can no longer come (so that no poll outlives its reason).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  stillPossible: () => boolean = () => true,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!stillPossible()) throw new Error(`Gave up waiting for ${what}: it can no longer happen`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}
