import type { ResourceDefinition } from '../definition.js';

/**
 * A Sequelize (v6) unmanaged transaction: `sequelize.transaction()` (or `transaction(options)`)
 * without a callback takes a connection from the pool, begins, and holds the connection until
 * `commit()` or `rollback()` (both promises). With a callback, `transaction(async (t) => …)` (and
 * `transaction(options, async (t) => …)`) is the managed form: Sequelize commits when the
 * callback's promise fulfils and rolls back when it rejects (lib/sequelize.js, `transaction`).
 * Queries run through models and `sequelize.query(…)` given `{ transaction: t }`, never on `t`.
 * `rollback` comes first: it is what a fix writes in a `finally` of code that never commits, and
 * no fix moves a `commit()` there. Unlike knex, ending a transaction twice rejects.
 */
export const sequelize: ResourceDefinition = {
  name: 'sequelize',
  pools: [{ from: 'package', package: 'sequelize', name: 'Sequelize' }],
  acquire: ['transaction'],
  // The callback is the last argument, after the options when there are any (types/sequelize.d.ts).
  callbacks: [{ method: 'transaction', resourceParameter: 0, borrowed: true }],
  release: ['rollback', 'commit'],
  commits: ['commit'],
  poolRelease: [],
  // `Transaction` has no query method: its only promise-returning methods are its releases.
  queries: [],
  // `sequelize.query(sql)` without `{ transaction }` takes a pool connection for that one query and
  // gives it back in a `finally` (lib/sequelize.js, `query`): a `BEGIN` sent so goes back to the
  // pool still open.
  poolQueries: ['query'],
  releaseToOwnPool: false,
  connectsLazily: false,
  asyncRelease: true,
  // `Transaction` has no dispose symbol in its types.
  suggestUsing: false,
  // A second `commit()` or `rollback()` rejects: "Transaction cannot be committed (rolled back)
  // because it has been finished with state: commit" (lib/transaction.js). So does a rollback
  // after a commit.
  idempotentRelease: false,
  // `t.finished`: undefined until `commit()` or `rollback()` runs, then `'commit'` or `'rollback'` —
  // set even when that fails, which destroys the connection (lib/transaction.js, and
  // lib/dialects/abstract/query-interface.js). The types do not declare it: JavaScript reads it as
  // is, TypeScript through a cast.
  stateChecks: [{ name: 'finished', on: 'resource', whenTrue: 'released' }],
  // Once finished, a query given the transaction rejects ("commit has been called on this
  // transaction(…), you can no longer use it", lib/sequelize.js), as do commit and rollback: a
  // transaction kept past `sequelize.transaction(fn)`'s loan (`ctx.state.transaction = t`) cannot
  // run in another request's connection.
  inertAfterRelease: true,
  resourceTypes: [{ from: 'package', package: 'sequelize', name: 'Transaction' }],
};
