import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/coverage', 'tmp', 'bench/results'] },
  {
    files: ['**/*.ts'],
    rules: {
      // Apps import libraries only through their public alias (`@obs/telemetry`), never each other,
      // never a library's internals; libraries never import apps.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          // The e2e suites drive Debian's prometheus through the helper that `npm run prometheus` uses; the
          // bench times the library's exposition formats on their own, beside the exporter's serializer.
          allow: [
            '../../../tools/prometheus/prometheus.cjs',
            '../../../libs/telemetry/src/metrics/prometheus/prometheus-exposition',
          ],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:bench', onlyDependOnLibsWithTags: ['type:lib'] },
          ],
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@obs/*/*', '!@obs/telemetry/register', '!@obs/telemetry/testing'],
              message:
                'Import a library through one of its public entry points (@obs/<lib>, @obs/telemetry/register, @obs/telemetry/testing), not its internals.',
            },
          ],
        },
      ],
    },
  },
];
