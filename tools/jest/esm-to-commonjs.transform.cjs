// Jest transform for the ES-module packages of node_modules (Nest 12's `@nestjs/*`).
//
// Node loads them from our CommonJS code through require(esm), but Jest's CommonJS runtime has its own module
// loader, which can require an ES module only on Node >= 24.9 and under --experimental-vm-modules. Rewriting
// these packages to CommonJS here keeps one runtime for every spec on Node 22, 24 and 26: Jest caches the
// result per file and package version, so only the first run pays for it.
const babel = require('@babel/core');
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');

// Jest keys its cache on the source alone unless told otherwise: a change to this file or to Babel must key anew.
const TRANSFORM_VERSION = createHash('sha256')
  .update(readFileSync(__filename))
  .update(babel.version)
  .update(require('@babel/plugin-transform-modules-commonjs/package.json').version)
  .digest('hex');

/**
 * `import.meta` has no CommonJS spelling: its `url`, `filename` and `dirname` become the module's own file, which is
 * what Nest uses them for (`createRequire(import.meta.url)`). `module.require`, because a module may declare a
 * `require` of its own (`const require = createRequire(import.meta.url)`).
 */
function importMetaToCommonJs({ types: t }) {
  const fileUrl = () =>
    t.memberExpression(
      t.callExpression(
        t.memberExpression(
          t.callExpression(t.memberExpression(t.identifier('module'), t.identifier('require')), [
            t.stringLiteral('node:url'),
          ]),
          t.identifier('pathToFileURL'),
        ),
        [t.identifier('__filename')],
      ),
      t.identifier('href'),
    );
  const replacements = {
    url: fileUrl,
    filename: () => t.identifier('__filename'),
    dirname: () => t.identifier('__dirname'),
  };
  return {
    visitor: {
      MetaProperty(path) {
        const member = path.parentPath;
        const name = member.isMemberExpression() && t.isIdentifier(member.node.property) && member.node.property.name;
        if (!Object.hasOwn(replacements, name)) {
          throw path.buildCodeFrameError('only import.meta.url, .filename and .dirname have a CommonJS equivalent');
        }
        member.replaceWith(replacements[name]());
      },
    },
  };
}

module.exports = {
  getCacheKey(sourceText, sourcePath) {
    return createHash('sha256').update(TRANSFORM_VERSION).update(sourcePath).update(sourceText).digest('hex');
  },
  process(sourceText, sourcePath) {
    const { code, map } = babel.transformSync(sourceText, {
      filename: sourcePath,
      babelrc: false,
      configFile: false,
      sourceMaps: true,
      // Dynamic import() becomes a require() too: Jest's CommonJS runtime has no module loader for it.
      plugins: [importMetaToCommonJs, ['@babel/plugin-transform-modules-commonjs', { importInterop: 'node' }]],
    });
    return { code, map };
  },
};
