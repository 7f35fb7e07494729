const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join, relative } = require('node:path');

const WORKSPACE_ROOT = join(__dirname, '../..');

/**
 * The webpack config of a Nest app of this workspace (`apps/<name>`), built to `dist/apps/<name>/main.js`.
 * It bundles the app and the workspace libs' source (resolved through the tsconfig path aliases);
 * node_modules stay external, required at run time, which OpenTelemetry's instrumentation needs in order
 * to patch them. TypeScript goes through tsc, which emits the decorator metadata Nest's injection reads.
 */
function nestAppWebpackConfig(projectDir) {
  return {
    output: { path: join(WORKSPACE_ROOT, 'dist', relative(WORKSPACE_ROOT, projectDir)), clean: true },
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        outputHashing: 'none',
        optimization: false,
        generatePackageJson: false,
        sourceMap: true,
      }),
    ],
  };
}

module.exports = { nestAppWebpackConfig };
