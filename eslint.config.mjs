import nx from '@nx/eslint-plugin';

/** An app or a library reaches another library through its public entry points only. */
const PUBLIC_ENTRY_POINTS = {
  group: ['@obs/*/*', '!@obs/telemetry/register', '!@obs/telemetry/testing', '!@obs/lifecycle/broker'],
  message:
    'Import a library through one of its public entry points (@obs/<lib>, @obs/telemetry/register, @obs/telemetry/testing, @obs/lifecycle/broker), not its internals.',
};

/**
 * The floors of libs/telemetry/src, from the ground up: a folder imports only the floors below it (and
 * telemetry.constants.ts), so that no two folders import each other, however indirectly. state/ imports
 * nothing of the library. The Nest module and the entry points, at the root, stand above every floor;
 * spec-support/ is for specs alone, so no floor may import it. Nx tags cannot say this (they tag whole
 * projects) and eslint-plugin-import is not installed: each floor's zone is a no-restricted-imports regex
 * on the relative path. tools/workspace/src/lint/module-boundaries.spec.ts proves that it fires.
 */
const TELEMETRY_FLOORS = [
  'state',
  'decorators',
  'metrics',
  'metrics/prometheus',
  'tracing',
  'http',
  'nest-handlers',
  'logging',
  'sdk',
  'testing',
];

/** The no-restricted-imports pattern of one floor: no path out of it but to a floor below. */
function floorPattern(floor) {
  const index = TELEMETRY_FLOORS.indexOf(floor);
  const below = [...TELEMETRY_FLOORS.slice(0, index), ...(index > 0 ? ['telemetry.constants'] : [])];
  const escape = (path) => path.replace(/[./]/g, (char) => `\\${char}`);
  const toSrc = String.raw`\.\./`.repeat(floor.split('/').length);
  // Up to the src folder, then anything but a floor below (`(?!\.\./)`: exactly as many `../` as deep).
  const belowOnly = below.length === 0 ? '' : `(?!(${below.map(escape).join('|')})(\\.ts)?(/|$))`;
  const upward = `^${toSrc}(?!\\.\\./)${belowOnly}`;
  // Down into a floor nested in this one (metrics/ holds metrics/prometheus/, a floor above it).
  const nested = TELEMETRY_FLOORS.filter((other) => other.startsWith(`${floor}/`)).map((other) =>
    escape(other.slice(floor.length + 1)),
  );
  return {
    regex: nested.length === 0 ? upward : `${upward}|^\\./(${nested.join('|')})(/|$)`,
    message:
      `libs/telemetry/src is layered: ${floor}/ imports ` +
      (below.length === 0 ? 'nothing of the library' : `only ${below.join(', ')}`) +
      ' (TELEMETRY_FLOORS in eslint.config.mjs).',
  };
}

const telemetryLayers = [
  ...TELEMETRY_FLOORS.map((floor) => ({
    files: TELEMETRY_FLOORS.some((other) => other.startsWith(`${floor}/`))
      ? [`libs/telemetry/src/${floor}/*.ts`]
      : [`libs/telemetry/src/${floor}/**/*.ts`],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [PUBLIC_ENTRY_POINTS, floorPattern(floor)] }] },
  })),
  {
    files: ['libs/telemetry/src/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            PUBLIC_ENTRY_POINTS,
            {
              regex: String.raw`^\./spec-support(/|$)`,
              message: 'libs/telemetry/src/spec-support/ is for specs alone.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/telemetry/src/telemetry.constants.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            PUBLIC_ENTRY_POINTS,
            { regex: String.raw`^\.`, message: 'telemetry.constants.ts is ground: it imports nothing of the library.' },
          ],
        },
      ],
    },
  },
];

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
      'no-restricted-imports': ['error', { patterns: [PUBLIC_ENTRY_POINTS] }],
    },
  },
  // Later than the rule above, which each of them replaces for its files: each repeats PUBLIC_ENTRY_POINTS.
  ...telemetryLayers,
];
