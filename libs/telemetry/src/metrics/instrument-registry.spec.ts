import { InstrumentRegistry } from './instrument-registry';

describe('InstrumentRegistry', () => {
  it('returns the first instrument made for a name, and refuses another kind under it naming both', () => {
    const registry = new InstrumentRegistry<object>();
    const first = registry.getOrCreate('k', 'queue.depth', 'observableGauge', () => ({}));
    expect(registry.getOrCreate('k', 'queue.depth', 'observableGauge', () => ({}))).toBe(first);
    expect(() => registry.getOrCreate('k', 'queue.depth', 'counter', () => ({}))).toThrow(
      'Metric "queue.depth" is already an observableGauge; it cannot also be a counter',
    );
  });
});
