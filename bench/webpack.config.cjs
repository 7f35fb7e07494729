const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

// One bundle per process the benchmark starts. Built like apps/health-api (tsc, so Nest's decorator
// metadata is emitted); node_modules stay external. The @Span() decorator is bundled from the lib's source.
module.exports = {
  output: {
    path: join(__dirname, '../dist/bench'),
    clean: true,
  },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/run-bench/main.ts',
      additionalEntryPoints: [
        { entryName: 'bare-app', entryPath: './src/bare-app/main.ts' },
        { entryName: 'lib-app', entryPath: './src/lib-app/main.ts' },
        { entryName: 'otlp-sink', entryPath: './src/otlp-sink/main.ts' },
        { entryName: 'span-cost', entryPath: './src/span-cost/main.ts' },
        { entryName: 'metrics-render', entryPath: './src/metrics-render/main.ts' },
        { entryName: 'message-cost', entryPath: './src/message-cost/main.ts' },
        { entryName: 'check-results', entryPath: './src/check-results/main.ts' },
        { entryName: 'memory-probe', entryPath: './src/memory-probe/main.ts' },
      ],
      tsConfig: './tsconfig.json',
      outputHashing: 'none',
      optimization: false,
      generatePackageJson: false,
      sourceMap: true,
    }),
  ],
};
