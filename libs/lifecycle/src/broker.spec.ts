import { Transport } from '@nestjs/microservices';
import { DEFAULT_BROKER_URL, describeBroker, readBrokerTransport } from './broker';

describe('readBrokerTransport', () => {
  it('reaches NATS on this machine when BROKER_URL is not set', () => {
    expect(readBrokerTransport({})).toEqual({ transport: Transport.NATS, options: { servers: [DEFAULT_BROKER_URL] } });
  });

  it('reads nats://, amqp://, redis://, mqtt:// and tcp:// URLs', () => {
    expect(readBrokerTransport({ BROKER_URL: 'nats://127.0.0.1:4333' })).toEqual({
      transport: Transport.NATS,
      options: { servers: ['nats://127.0.0.1:4333'] },
    });
    expect(readBrokerTransport({ BROKER_URL: ' amqp://guest:guest@127.0.0.1:5672 ' })).toEqual({
      transport: Transport.RMQ,
      options: { urls: ['amqp://guest:guest@127.0.0.1:5672'], queue: 'worker' },
    });
    expect(readBrokerTransport({ BROKER_URL: 'redis://127.0.0.1:6380' })).toEqual({
      transport: Transport.REDIS,
      options: { host: '127.0.0.1', port: 6380 },
    });
    expect(readBrokerTransport({ BROKER_URL: 'mqtt://127.0.0.1:1883' })).toEqual({
      transport: Transport.MQTT,
      options: { url: 'mqtt://127.0.0.1:1883', protocolVersion: 5 },
    });
    expect(readBrokerTransport({ BROKER_URL: 'tcp://127.0.0.1:3999' })).toEqual({
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port: 3999 },
    });
  });

  it('takes the default URL and queue it is given when BROKER_URL is not set', () => {
    const defaults = { defaultUrl: 'amqp://guest:guest@127.0.0.1:5672', queue: 'orders' };
    expect(readBrokerTransport({}, defaults)).toEqual({
      transport: Transport.RMQ,
      options: { urls: ['amqp://guest:guest@127.0.0.1:5672'], queue: 'orders' },
    });
    expect(readBrokerTransport({ BROKER_URL: 'nats://127.0.0.1:4333' }, defaults)).toMatchObject({
      transport: Transport.NATS,
    });
  });

  it.each(['not-a-url', 'kafka://127.0.0.1:9092', 'tcp://127.0.0.1'])(
    'rejects BROKER_URL=%s naming the variable and its value',
    (value) => {
      expect(() => readBrokerTransport({ BROKER_URL: value })).toThrow(
        `BROKER_URL="${value}" is not a nats://, amqp://, redis://, mqtt:// or tcp://host:port URL`,
      );
    },
  );
});

describe('describeBroker', () => {
  it('hides the password', () => {
    expect(describeBroker({ BROKER_URL: 'amqp://app:s3cret@127.0.0.1:5672' })).toBe('amqp://app:***@127.0.0.1:5672');
  });
});
