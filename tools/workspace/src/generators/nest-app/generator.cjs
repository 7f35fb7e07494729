// @ts-check
const { addProjectConfiguration, formatFiles, generateFiles, joinPathFragments } = require('@nx/devkit');
const { brokerDefaults } = require('../broker-transports.cjs');

/**
 * A Nest app under apps/<name>, on express or (`--platform fastify`) Fastify, built by webpack to
 * dist/apps/<name>/main.js and tested by Jest, the way the workspace's own apps are: a controller and a
 * service with `GET /`, and their test. With `--transport nats|rabbitmq|tcp` it is a microservice too (a hybrid app):
 * it answers `<name>.ping` messages over `BROKER_URL`, by default that transport on this machine.
 *
 * @param {import('@nx/devkit').Tree} tree
 * @param {{ name: string; port?: number; platform?: 'express' | 'fastify';
 *   transport?: import('../broker-transports.cjs').BrokerTransport }} options
 */
async function nestAppGenerator(tree, options) {
  const projectRoot = joinPathFragments('apps', options.name);
  if (tree.exists(projectRoot)) throw new Error(`${projectRoot} already exists`);
  addProjectConfiguration(tree, options.name, {
    root: projectRoot,
    sourceRoot: joinPathFragments(projectRoot, 'src'),
    projectType: 'application',
    tags: ['type:app', `scope:${options.name}`],
    targets: {
      build: {
        executor: 'nx:run-commands',
        outputs: [`{workspaceRoot}/dist/${projectRoot}`],
        options: { cwd: projectRoot, command: 'webpack-cli build', env: { NODE_ENV: 'production' } },
      },
      serve: {
        executor: '@nx/js:node',
        continuous: true,
        options: { buildTarget: `${options.name}:build`, watch: false, inspect: false },
      },
      typecheck: {
        executor: 'nx:run-commands',
        options: { command: `tsc -p ${projectRoot}/tsconfig.spec.json --noEmit` },
      },
    },
  });
  const port = options.port ?? 3000;
  const transport = options.transport ?? 'none';
  generateFiles(tree, joinPathFragments(__dirname, 'files'), projectRoot, {
    name: options.name,
    port,
    platform: options.platform ?? 'express',
    transport,
    brokerDefaults: brokerDefaults(transport, { name: options.name, port }),
    tmpl: '',
  });
  await formatFiles(tree);
}

module.exports = nestAppGenerator;
module.exports.default = nestAppGenerator;
