'use strict';
// The plugin for CommonJS loaders, above all ESLint 8's `.eslintrc`, which loads plugins with
// require(): the same object as the ES module (dist/src/index.js), through Node's require() of ES
// modules (Node 20.19+, 22.12+). See "ESLint 8 with .eslintrc" in the README.
try {
  module.exports = require('../dist/src/index.js').default;
} catch (error) {
  if (error && error.code === 'ERR_REQUIRE_ESM') {
    const problem = new Error(
      `eslint-plugin-connection-leaks is an ES module, and this Node.js (${process.version}) cannot require() it: use Node.js 20.19 or later, or an eslint.config.js (flat config).`,
    );
    problem.stack = problem.message;
    throw problem;
  }
  throw error;
}
