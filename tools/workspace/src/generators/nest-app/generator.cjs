// @ts-check
const { addProjectConfiguration, formatFiles, generateFiles, joinPathFragments } = require('@nx/devkit');

/**
 * A Nest app under apps/<name>, on express or (`--platform fastify`) Fastify, built by webpack to
 * dist/apps/<name>/main.js and tested by Jest, the way the workspace's own apps are: a controller and a
 * service with `GET /`, and their test.
 *
 * @param {import('@nx/devkit').Tree} tree
 * @param {{ name: string; port?: number; platform?: 'express' | 'fastify' }} options
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
  generateFiles(tree, joinPathFragments(__dirname, 'files'), projectRoot, {
    name: options.name,
    port: options.port ?? 3000,
    platform: options.platform ?? 'express',
    tmpl: '',
  });
  await formatFiles(tree);
}

module.exports = nestAppGenerator;
module.exports.default = nestAppGenerator;
