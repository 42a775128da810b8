import type { ResourceDefinition } from '../definition.js';

/** The promise API (`mysql2/promise`, or `pool.promise()`) and the callback API (`pool.getConnection((err, conn) => …)`). */
export const mysql2: ResourceDefinition = {
  name: 'mysql2',
  pools: [{ from: 'package', package: 'mysql2', name: ['Pool', 'PoolCluster', 'PoolNamespace'] }],
  acquire: ['getConnection'],
  callbacks: [{ method: 'getConnection', resourceParameter: 1, errorParameter: 0, borrowed: false }],
  // `end()` on a pool connection releases it (deprecated, with a warning); `destroy()` closes it.
  release: ['release', 'destroy', 'end'],
  poolRelease: ['releaseConnection'],
  queries: ['query', 'execute'],
  poolQueries: ['query', 'execute'],
  // `pool.releaseConnection(conn)` just calls `conn.release()`, whichever pool it is called on.
  releaseToOwnPool: false,
  connectsLazily: false,
  asyncRelease: false,
  suggestUsing: true,
  // `release()` on a connection already back in the pool does nothing.
  idempotentRelease: true,
  transactions: { begin: ['beginTransaction'], end: ['commit', 'rollback'], sql: true, discardingReleases: ['destroy'], releaseWithArgumentDiscards: false },
  resourceTypes: [{ from: 'package', package: 'mysql2', name: 'PoolConnection' }],
};
