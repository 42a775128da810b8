import type { ResourceDefinition } from '../definition.js';

/**
 * The promise API (`import mariadb from 'mariadb'`; its types live in `mariadb/types/…`, which is
 * still the package `mariadb`). A pool connection's `release()`, `end()` and `close()` all give it
 * back to the pool and return promises (the pool replaces `end`/`close` by `release`);
 * `destroy()` closes it; its `Symbol.asyncDispose` releases it (since 3.5.1). The callback API
 * (`mariadb/callback`) declares types of the same names whose `getConnection(cb)` returns nothing:
 * it is not matched (its `release(cb)` takes a callback, so no fix could write it).
 */
export const mariadb: ResourceDefinition = {
  name: 'mariadb',
  pools: [{ from: 'package', package: 'mariadb', name: ['Pool', 'PoolCluster', 'FilteredPoolCluster'] }],
  acquire: ['getConnection'],
  callbacks: [],
  release: ['release', 'end', 'close', 'destroy'],
  poolRelease: [],
  queries: ['query', 'execute', 'batch'],
  poolQueries: ['query', 'execute', 'batch'],
  releaseToOwnPool: false,
  connectsLazily: false,
  asyncRelease: true,
  suggestUsing: true,
  // The pool rolls back a transaction left open when a connection comes back (unless `noControlAfterUse`).
  transactions: {
    begin: ['beginTransaction'],
    end: ['commit', 'rollback'],
    sql: true,
    discardingReleases: ['destroy'],
    releaseWithArgumentDiscards: false,
    releaseRollsBack: true,
  },
  resourceTypes: [{ from: 'package', package: 'mariadb', name: 'PoolConnection' }],
};
