import type { ResourceDefinition } from '../definition.js';

/**
 * mysqljs `mysql` (2.x; types from `@types/mysql`, which typescript-eslint counts as the package
 * `mysql`). A callback API only: `pool.getConnection((err, connection) => …)` hands the callback a
 * connection it owns, and its `getConnection` returns nothing, so there is no promise form to
 * match. A promise wrapper written around it (`new Promise((resolve, reject) =>
 * pool.getConnection((err, c) => (err ? reject(err) : resolve(c))))`) is followed by the engine's
 * resolve hand-over, as for mysql2's callback API; `util.promisify(pool.getConnection.bind(pool))`
 * is not (its result is a function of the standard library, not a pool's method).
 */
export const mysql: ResourceDefinition = {
  name: 'mysql',
  // `cluster.of(pattern)` returns a `PoolNamespace` in the JS, but `@types/mysql` declares it a
  // `Pool` (there is no `PoolNamespace` type): matched through `Pool`.
  pools: [{ from: 'package', package: 'mysql', name: ['Pool', 'PoolCluster'] }],
  // As the definition format asks; no call of it returns a connection (`getConnection` returns
  // `void`, and one given a callback by name is beyond the analysis): the callback form acquires.
  acquire: ['getConnection'],
  // `Pool#getConnection(cb)`, `PoolCluster#getConnection([pattern, [selector,]] cb)`: the
  // callback is last; `err` is set and `connection` undefined when acquiring failed.
  callbacks: [{ method: 'getConnection', resourceParameter: 1, errorParameter: 0, borrowed: false }],
  // `release()` puts it back in the pool's free list; `destroy()` closes it and purges it from the
  // pool; `end()` on a pool connection warns that it is deprecated and calls `release()`
  // (lib/PoolConnection.js).
  release: ['release', 'destroy', 'end'],
  // `pool.releaseConnection(conn)` (lib/Pool.js) is what `release()` calls: JavaScript may call it
  // directly (`@types/mysql` does not declare it, so TypeScript cannot).
  poolRelease: ['releaseConnection'],
  // `connection.query(…)` returns a `Query` (an event emitter, never a promise): nothing to await,
  // so `no-unawaited-query` has nothing to say of it, and none is named here (a name would make an
  // untyped `query(…)` a promise query).
  queries: [],
  // `pool.query(sql, cb)` takes a connection, runs the query and releases it on the query's `end`
  // (lib/Pool.js): not an acquisition. It returns a `Query`, not a promise, so only
  // `no-transaction-on-pool` reads it.
  poolQueries: ['query'],
  // `releaseConnection` throws "Connection released to wrong pool" for another pool's connection.
  releaseToOwnPool: true,
  connectsLazily: false,
  asyncRelease: false,
  // No dispose symbol in `@types/mysql`.
  suggestUsing: false,
  // Not idempotent: releasing a connection already in the free list throws "Connection already
  // released"; once another borrower took it, a second release lends it to two at once
  // (`Pool#releaseConnection`, lib/Pool.js).
  idempotentRelease: false,
  // `destroy()` sets the connection's pool to null: a `release()` (or `destroy()`) after it returns at once.
  detachingReleases: ['destroy'],
  // The pool does not reset a released connection: a transaction left open goes to the next
  // borrower. `destroy()` closes the connection, and the server rolls it back.
  transactions: { begin: ['beginTransaction'], end: ['commit', 'rollback'], sql: true, discardingReleases: ['destroy'], releaseWithArgumentDiscards: false },
  resourceTypes: [{ from: 'package', package: 'mysql', name: 'PoolConnection' }],
};
