/**
 * One instrument per name: the same instance when asked again for the same kind, and a programming error,
 * thrown naming both kinds, when asked for another kind under a name already taken.
 */
export class InstrumentRegistry<T> {
  private readonly entries = new Map<string, { kind: string; instrument: T }>();

  getOrCreate(key: string, name: string, kind: string, create: () => T): T {
    const existing = this.entries.get(key);
    if (existing && existing.kind !== kind) {
      throw new Error(
        `Metric "${name}" is already ${article(existing.kind)} ${existing.kind}; it cannot also be ${article(kind)} ${kind}`,
      );
    }
    if (existing) return existing.instrument;
    const instrument = create();
    this.entries.set(key, { kind, instrument });
    return instrument;
  }
}

function article(kind: string): string {
  return /^[aeiou]/i.test(kind) ? 'an' : 'a';
}
