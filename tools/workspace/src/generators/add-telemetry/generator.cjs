// @ts-check
const { readFileSync } = require('node:fs');
const ejs = require('ejs');
const {
  applyChangesToString,
  formatFiles,
  generateFiles,
  joinPathFragments,
  readProjectConfiguration,
} = require('@nx/devkit');
const ts = require('typescript');
const { TRANSPORTS, brokerDefaults, transportOfUrl } = require('../broker-transports.cjs');
const {
  classDecoratedWith,
  decoratorCall,
  importNamed,
  insertAfter,
  insertDecorator,
  insertFirst,
  methodNamed,
  parseTypeScript,
  propertyNamed,
  sameCodeButNumbers,
  someNode,
} = require('./typescript-edits.cjs');

const TELEMETRY_PACKAGE = '@obs/telemetry';
const TELEMETRY_MODULE = 'TelemetryModule';
const LOGGER_MODULE = 'TelemetryLoggerModule';
/** The main.ts templates of nest-app and of this generator: a main.ts made from either is not the user's own. */
const MAIN_TEMPLATES = [
  joinPathFragments(__dirname, '../nest-app/files/src/main.ts__tmpl__'),
  joinPathFragments(__dirname, 'files/src/main.ts__tmpl__'),
];
const PLATFORMS = ['express', 'fastify'];

/**
 * Adds @obs/telemetry to a Nest app: `src/instrumentation.ts` starting the SDK, a `main.ts` that loads it
 * first and serves with graceful shutdown and JSON logs tied to traces, `TelemetryModule.forRoot()` in
 * the root module (tracer, meter, `/metrics`) with `TelemetryLoggerModule.forRoot()` after it (request logs
 * tied to traces), and `@Span()` on the sample service's `getData()`.
 * `main.ts` is replaced: the previous one is kept beside it as `main.ts.orig` unless it was nest-app's
 * default or this generator's own. The new one runs on `--platform`, by default the one the previous
 * `main.ts` used (Fastify if it made a `FastifyAdapter`, else express), and listens to the broker of `--transport`, by
 * default the one the previous `main.ts` listened to (`listenToBroker()`). Running it again changes nothing.
 *
 * @param {import('@nx/devkit').Tree} tree
 * @param {{ project: string; serviceName?: string; port?: number; platform?: 'express' | 'fastify';
 *   transport?: import('../broker-transports.cjs').BrokerTransport }} options
 */
async function addTelemetryGenerator(tree, options) {
  const { root, projectType } = readProjectConfiguration(tree, options.project);
  if (projectType !== 'application') throw new Error(`${options.project} is not an application`);
  const src = joinPathFragments(root, 'src');
  const mainPath = joinPathFragments(src, 'main.ts');
  const previousMain = tree.read(mainPath, 'utf-8');
  const port = options.port ?? 3000;
  const transport = options.transport ?? transportOf(mainPath, previousMain);
  generateFiles(tree, joinPathFragments(__dirname, 'files'), root, {
    serviceName: options.serviceName ?? options.project,
    port,
    platform: options.platform ?? platformOf(mainPath, previousMain),
    transport,
    brokerDefaults: brokerDefaults(transport, { name: options.project, port }),
    tmpl: '',
  });
  keepCustomMain(tree, mainPath, previousMain, options.project);
  importTelemetryModule(tree, joinPathFragments(src, 'app/app.module.ts'));
  traceSampleMethod(tree, joinPathFragments(src, 'app/app.service.ts'));
  await formatFiles(tree);
}

/**
 * The platform a main.ts runs its app on: `fastify` if it makes a `FastifyAdapter` (as nest-app's does with
 * `--platform fastify`), or passes `platform: 'fastify'` (as this generator's does); else `express`.
 *
 * @param {string} mainPath
 * @param {string | null} main
 * @returns {'express' | 'fastify'}
 */
function platformOf(mainPath, main) {
  if (main === null) return 'express';
  return someNode(parseTypeScript(mainPath, main), isFastifyChoice) ? 'fastify' : 'express';
}

/**
 * The broker a main.ts listens to: that of the `defaultUrl` it gives `listenToBroker()` (NATS when it gives none, as
 * `listenToBroker()` does), `none` when it does not call it.
 *
 * @param {string} mainPath
 * @param {string | null} main
 * @returns {import('../broker-transports.cjs').BrokerTransport}
 */
function transportOf(mainPath, main) {
  /** @type {import('../broker-transports.cjs').BrokerTransport} */
  let transport = 'none';
  if (main === null) return transport;
  someNode(parseTypeScript(mainPath, main), (node) => {
    if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'listenToBroker') {
      return false;
    }
    const defaults = node.arguments[1];
    const defaultUrl = defaults && ts.isObjectLiteralExpression(defaults) && propertyNamed(defaults, 'defaultUrl');
    transport =
      defaultUrl && ts.isPropertyAssignment(defaultUrl) && ts.isStringLiteralLike(defaultUrl.initializer)
        ? transportOfUrl(defaultUrl.initializer.text)
        : 'nats';
    return true;
  });
  return transport;
}

/**
 * `new FastifyAdapter(…)` or `platform: 'fastify'`.
 *
 * @param {ts.Node} node
 */
function isFastifyChoice(node) {
  if (ts.isNewExpression(node)) return ts.isIdentifier(node.expression) && node.expression.text === 'FastifyAdapter';
  return (
    ts.isPropertyAssignment(node) &&
    ts.isIdentifier(node.name) &&
    node.name.text === 'platform' &&
    ts.isStringLiteralLike(node.initializer) &&
    node.initializer.text === 'fastify'
  );
}

/**
 * A previous main.ts that is neither nest-app's default nor this generator's own (on either platform,
 * whatever its formatting and port) may hold the user's set-up: keep it beside the new one for reference.
 *
 * @param {import('@nx/devkit').Tree} tree
 * @param {string} mainPath
 * @param {string | null} previousMain
 * @param {string} name the app's, as nest-app names its RabbitMQ queue
 */
function keepCustomMain(tree, mainPath, previousMain, name) {
  if (previousMain === null) return;
  // Any number stands for the port: the comparison ignores numbers.
  const generatedMains = MAIN_TEMPLATES.flatMap((path) =>
    PLATFORMS.flatMap((platform) =>
      TRANSPORTS.map((transport) =>
        ejs.render(readFileSync(path, 'utf-8'), {
          platform,
          port: 0,
          transport,
          brokerDefaults: brokerDefaults(transport, { name, port: 0 }),
        }),
      ),
    ),
  );
  if (!generatedMains.some((generated) => sameCodeButNumbers(previousMain, generated))) {
    tree.write(`${mainPath}.orig`, previousMain);
  }
}

/**
 * Puts `TelemetryModule.forRoot()` first in the root module's `imports` and `TelemetryLoggerModule.forRoot()`
 * right after it, and imports both, leaving out either that the module lists already (`forRoot()`,
 * `forRootAsync()`, the class itself).
 *
 * @param {import('@nx/devkit').Tree} tree
 * @param {string} modulePath
 */
function importTelemetryModule(tree, modulePath) {
  const text = tree.read(modulePath, 'utf-8');
  if (text === null) throw addByHand(modulePath, 'not found');
  const sourceFile = parseTypeScript(modulePath, text);
  const moduleCall = classDecoratedWith(sourceFile, 'Module');
  if (moduleCall === undefined) throw addByHand(modulePath, 'has no class decorated with @Module()');
  const { insertions, added } = telemetryInModuleImports(sourceFile, moduleCall);
  if (added.length === 0) return;
  tree.write(
    modulePath,
    applyChangesToString(text, [...insertions, ...importNamed(sourceFile, added, TELEMETRY_PACKAGE)]),
  );
}

/**
 * The insertions putting `TelemetryModule.forRoot()` first in `@Module({ imports })` and
 * `TelemetryLoggerModule.forRoot()` after it, creating what is missing, and the modules they add.
 *
 * @param {ts.SourceFile} sourceFile
 * @param {ts.CallExpression} moduleCall
 * @returns {{ insertions: import('@nx/devkit').StringInsertion[]; added: string[] }}
 */
function telemetryInModuleImports(sourceFile, moduleCall) {
  const both = [TELEMETRY_MODULE, LOGGER_MODULE];
  const bothImports = `imports: [${both.map(forRoot).join(', ')}]`;
  const [metadata] = moduleCall.arguments;
  if (metadata === undefined) {
    return { added: both, insertions: [insertFirst(sourceFile, moduleCall.arguments, [`{ ${bothImports} }`])] };
  }
  if (!ts.isObjectLiteralExpression(metadata)) {
    throw addByHand(sourceFile.fileName, 'has @Module() metadata that is not an object literal');
  }
  const imports = propertyNamed(metadata, 'imports');
  if (imports === undefined) {
    return { added: both, insertions: [insertFirst(sourceFile, metadata.properties, [bothImports])] };
  }
  if (!ts.isPropertyAssignment(imports) || !ts.isArrayLiteralExpression(imports.initializer)) {
    throw addByHand(sourceFile.fileName, 'has @Module() imports that are not an array literal');
  }
  const { elements } = imports.initializer;
  const telemetry = elements.find((element) => isModule(element, TELEMETRY_MODULE));
  const added = both.filter((name) => !elements.some((element) => isModule(element, name)));
  if (telemetry === undefined) return { added, insertions: [insertFirst(sourceFile, elements, added.map(forRoot))] };
  return { added, insertions: added.map((name) => insertAfter(telemetry, `, ${forRoot(name)}`)) };
}

/**
 * `moduleName.forRoot()`.
 *
 * @param {string} moduleName
 */
function forRoot(moduleName) {
  return `${moduleName}.forRoot()`;
}

/**
 * `moduleName`, `moduleName.forRoot(…)` or any other `moduleName.x(…)`.
 *
 * @param {ts.Expression} element
 * @param {string} moduleName
 */
function isModule(element, moduleName) {
  const callee = ts.isCallExpression(element) ? element.expression : element;
  const name = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
  return ts.isIdentifier(name) && name.text === moduleName;
}

/**
 * @param {string} modulePath
 * @param {string} problem
 */
function addByHand(modulePath, problem) {
  return new Error(
    `${modulePath} ${problem}: add ${forRoot(TELEMETRY_MODULE)} and ${forRoot(LOGGER_MODULE)} to the imports of your root module by hand`,
  );
}

/**
 * Puts `@Span()` on the sample service's `getData()`, if the app has it: every request then has a child span.
 *
 * @param {import('@nx/devkit').Tree} tree
 * @param {string} servicePath
 */
function traceSampleMethod(tree, servicePath) {
  const text = tree.read(servicePath, 'utf-8');
  if (text === null) return;
  const sourceFile = parseTypeScript(servicePath, text);
  const getData = methodNamed(sourceFile, 'getData');
  if (getData === undefined || decoratorCall(getData, 'Span')) return;
  const insertions = [
    insertDecorator(sourceFile, getData, '@Span()'),
    ...importNamed(sourceFile, ['Span'], TELEMETRY_PACKAGE),
  ];
  tree.write(servicePath, applyChangesToString(text, insertions));
}

module.exports = addTelemetryGenerator;
module.exports.default = addTelemetryGenerator;
