// The plugin root eslint-doc-generator reads (`npm run docs:rules`). It `require()`s the plugin,
// and Node's require() of an ES module returns its namespace, where the plugin object is `default`;
// this module is the directory the generator is pointed at, re-exporting that object.
export { default } from '../../dist/src/index.js';
