import type { ResourceDefinition } from '../definition.js';

/**
 * A knex transaction: `knex.transaction()` (or `transaction(config)`) without a handler takes a
 * connection from the pool, begins, and holds the connection until `commit()` or `rollback()`
 * (both run at once and return promises). A `Knex.Transaction` is itself a `Knex`, so a nested
 * `trx.transaction()` is a savepoint that needs its own commit or rollback. With a handler,
 * `transaction(async (trx) => …)` (and `trx.savepoint(…)`) commits or rolls back when the
 * handler's promise settles. `rollback` comes first: it is what a fix writes in a `finally`
 * (a rollback after a commit does nothing), never a commit on a path that failed.
 */
export const knex: ResourceDefinition = {
  name: 'knex',
  pools: [{ from: 'package', package: 'knex', name: 'Knex' }],
  acquire: ['transaction'],
  callbacks: [
    { method: 'transaction', resourceParameter: 0, borrowed: true },
    { method: 'savepoint', resourceParameter: 0, borrowed: true },
  ],
  release: ['rollback', 'commit'],
  commits: ['commit'],
  poolRelease: [],
  queries: [],
  // `knex.raw(sql)` runs on a connection the pool lends for that one query (when awaited).
  poolQueries: ['raw'],
  releaseToOwnPool: false,
  connectsLazily: false,
  asyncRelease: true,
  suggestUsing: false,
  // A transaction is a `Knex` too (its `raw` runs on its own connection), but it is the resource, not a pool.
  resourceTypes: [{ from: 'package', package: 'knex', name: 'Transaction' }],
  // `trx('users').insert(…)`, `trx.select(…)` build queries that run only when awaited.
  lazyQueries: true,
  // A rollback after a commit (or a second commit) resolves and does nothing.
  idempotentRelease: true,
  // True once `commit()` or `rollback()` has run.
  stateChecks: [{ name: 'isCompleted', on: 'resource', whenTrue: 'released' }],
};
