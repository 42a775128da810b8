// The plugin root eslint-doc-generator reads (`npm run docs:rules`). It `require()`s the plugin:
// Node's require() of the built ES module returns its namespace (`{ __esModule, default }`), in which the
// generator finds `rules` but not `configs` (so no config would be shown). Through this module,
// whose namespace holds only `default`, it gets the plugin object itself.
export { default } from '../../dist/src/index.js';
