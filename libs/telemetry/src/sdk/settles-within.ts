/**
 * Whether `work` settles within `timeoutMs`. If it does not, it is left running and `false` is returned:
 * for shutdown steps that must not hold the process longer than a bound (a collector that never
 * answers). A rejection is passed on.
 */
export async function settlesWithin(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
