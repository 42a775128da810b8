import type { ResourceDefinition } from '../definition.js';

/**
 * node-oracledb (types from `@types/oracledb`, which typescript-eslint counts as the package
 * `oracledb`). `close()` and `release()` are one method (`release` is an alias), returning a
 * promise without a callback; closing a pooled connection rolls back its open transaction, and so
 * does its `Symbol.asyncDispose` (7.0), which calls `close()`. `queryStream()` returns a stream,
 * not a promise: it is not a query.
 */
export const oracledb: ResourceDefinition = {
  name: 'oracledb',
  pools: [{ from: 'package', package: 'oracledb', name: 'Pool' }],
  acquire: ['getConnection'],
  // `pool.getConnection((err, connection) => …)` and `pool.getConnection(attributes, (err, connection) => …)`.
  callbacks: [{ method: 'getConnection', resourceParameter: 1, errorParameter: 0, borrowed: false }],
  release: ['close', 'release'],
  poolRelease: [],
  queries: ['execute', 'executeMany'],
  poolQueries: [],
  releaseToOwnPool: false,
  connectsLazily: false,
  asyncRelease: true,
  suggestUsing: true,
  resourceTypes: [{ from: 'package', package: 'oracledb', name: 'Connection' }],
};
