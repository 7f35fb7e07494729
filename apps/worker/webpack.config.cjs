const { nestAppWebpackConfig } = require('../../tools/webpack/nest-app.webpack.cjs');

module.exports = nestAppWebpackConfig(__dirname);
