// @ts-check
const { formatFiles, generateFiles, joinPathFragments, readProjectConfiguration } = require('@nx/devkit');

const TELEMETRY_IMPORT = "import { TelemetryModule } from '@obs/telemetry';";

/**
 * Adds @obs/telemetry to a Nest app: `src/instrumentation.ts` starting the SDK, a `main.ts` that loads it
 * first and serves with graceful shutdown and JSON logs tied to traces, `TelemetryModule.forRoot()` in
 * the root module (tracer, meter, `/metrics`), and `@Span()` on the sample service's `getData()`.
 * `main.ts` is replaced: the previous one is kept beside it as `main.ts.orig` unless it was the
 * generated default.
 *
 * @param {import('@nx/devkit').Tree} tree
 * @param {{ project: string; serviceName?: string; port?: number }} options
 */
async function addTelemetryGenerator(tree, options) {
  const { root, projectType } = readProjectConfiguration(tree, options.project);
  if (projectType !== 'application') throw new Error(`${options.project} is not an application`);
  const src = joinPathFragments(root, 'src');
  keepOriginal(tree, joinPathFragments(src, 'main.ts'));
  generateFiles(tree, joinPathFragments(__dirname, 'files'), root, {
    serviceName: options.serviceName ?? options.project,
    port: options.port ?? 3000,
    tmpl: '',
  });
  importTelemetryModule(tree, joinPathFragments(src, 'app/app.module.ts'));
  traceSampleMethod(tree, joinPathFragments(src, 'app/app.service.ts'));
  await formatFiles(tree);
}

/** A main.ts that is not the `nest-app` default may hold the user's own set-up: keep it for reference. */
function keepOriginal(tree, mainPath) {
  const main = tree.read(mainPath, 'utf-8');
  if (main && !main.includes("import './instrumentation';") && !main.includes('app.listen(process.env')) {
    tree.write(`${mainPath}.orig`, main);
  }
}

/** Adds `TelemetryModule.forRoot()` first in the root module's `imports`, once. */
function importTelemetryModule(tree, modulePath) {
  const source = tree.read(modulePath, 'utf-8');
  if (source === null)
    throw new Error(`${modulePath} not found: add TelemetryModule.forRoot() to your root module by hand`);
  if (source.includes('TelemetryModule.forRoot')) return;
  let updated;
  if (/imports:\s*\[/.test(source)) {
    updated = source.replace(/imports:\s*\[/, 'imports: [TelemetryModule.forRoot(), ');
  } else if (source.includes('@Module({')) {
    updated = source.replace('@Module({', '@Module({\n  imports: [TelemetryModule.forRoot()],');
  } else {
    throw new Error(`${modulePath} has no @Module({...}): add TelemetryModule.forRoot() to your root module by hand`);
  }
  tree.write(modulePath, `${TELEMETRY_IMPORT}\n${updated}`);
}

/** Puts `@Span()` on the sample service's `getData()`, if the app has it: every request then has a child span. */
function traceSampleMethod(tree, servicePath) {
  const source = tree.read(servicePath, 'utf-8');
  if (source === null || source.includes('@Span()') || !/\n(\s+)getData\(/.test(source)) return;
  const traced = source.replace(/\n(\s+)getData\(/, '\n$1@Span()\n$1getData(');
  tree.write(servicePath, `import { Span } from '@obs/telemetry';\n${traced}`);
}

module.exports = addTelemetryGenerator;
module.exports.default = addTelemetryGenerator;
