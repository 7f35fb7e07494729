const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

// Bundles the app and @obs/telemetry's source; node_modules stay external (required at run time),
// which OpenTelemetry's instrumentation needs in order to patch them.
module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/health-api'),
    clean: true,
  },
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
