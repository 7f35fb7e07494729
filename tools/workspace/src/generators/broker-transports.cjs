// @ts-check
// What nest-app and add-telemetry write for `--transport`: the broker a generated app reaches when BROKER_URL is not set.

/** @typedef {'none' | 'nats' | 'rabbitmq' | 'tcp'} BrokerTransport */

/** @type {BrokerTransport[]} */
const TRANSPORTS = ['none', 'nats', 'rabbitmq', 'tcp'];

/** @type {Record<Exclude<BrokerTransport, 'none'>, string>} the URL scheme of each transport */
const SCHEMES = { nats: 'nats:', rabbitmq: 'amqp:', tcp: 'tcp:' };

/**
 * The source of `listenToBroker()`'s defaults for an app: its transport's local URL (TCP on the HTTP port + 1000)
 * and, for RabbitMQ, a queue named after the app. Empty for `none`.
 *
 * @param {BrokerTransport} transport
 * @param {{ name: string; port: number }} app
 */
function brokerDefaults(transport, { name, port }) {
  if (transport === 'nats') return "{ defaultUrl: 'nats://127.0.0.1:4222' }";
  if (transport === 'rabbitmq') return `{ defaultUrl: 'amqp://guest:guest@127.0.0.1:5672', queue: '${name}' }`;
  if (transport === 'tcp') return `{ defaultUrl: 'tcp://127.0.0.1:${port + 1000}' }`;
  return '';
}

/**
 * The transport a default URL is of (`amqp://…` is RabbitMQ), `none` for anything else.
 *
 * @param {string} url
 * @returns {BrokerTransport}
 */
function transportOfUrl(url) {
  const found = Object.entries(SCHEMES).find(([, scheme]) => url.startsWith(`${scheme}//`));
  return found ? /** @type {BrokerTransport} */ (found[0]) : 'none';
}

module.exports = { TRANSPORTS, brokerDefaults, transportOfUrl };
