import { TRANSPORT_LOG_INTERVAL_MS, TransportLogLimit } from './transport-log-limit';

describe('TransportLogLimit', () => {
  let now = 0;
  const limit = (): TransportLogLimit => new TransportLogLimit(TRANSPORT_LOG_INTERVAL_MS, () => now);

  beforeEach(() => (now = 1_000_000));

  it('admits the first line of a transport context, then none within the interval', () => {
    const transports = limit();
    expect(transports.admit('ClientProxy')).toBe(0);
    now += TRANSPORT_LOG_INTERVAL_MS - 1;
    expect(transports.admit('ClientProxy')).toBeUndefined();
    expect(transports.admit('ClientProxy')).toBeUndefined();
  });

  it('admits the next line once the interval has passed, with the count of those dropped', () => {
    const transports = limit();
    transports.admit('ServerRMQ');
    transports.admit('ServerRMQ');
    transports.admit('ServerRMQ');
    now += TRANSPORT_LOG_INTERVAL_MS;
    expect(transports.admit('ServerRMQ')).toBe(2);
    now += TRANSPORT_LOG_INTERVAL_MS;
    expect(transports.admit('ServerRMQ')).toBe(0);
  });

  it('limits each context apart, and never a context that is not a transport’s', () => {
    const transports = limit();
    expect(transports.admit('ClientNats')).toBe(0);
    expect(transports.admit('Server')).toBe(0);
    for (let line = 0; line < 3; line++) {
      expect(transports.admit('OrdersService')).toBe(0);
      expect(transports.admit(undefined)).toBe(0);
      expect(transports.admit({ not: 'a context' })).toBe(0);
    }
  });
});
