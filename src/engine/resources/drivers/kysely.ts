import type { ResourceDefinition } from '../definition.js';

/**
 * A kysely (0.28) controlled transaction. Builders are lazy: `db.startTransaction()` returns a
 * `ControlledTransactionBuilder`, and only its `execute()` takes a connection and begins (giving
 * the connection back itself when the BEGIN fails), so the builder is the "pool" and `execute` the
 * acquisition. `trx.commit()` and `trx.rollback()` return a `Command` that runs on `.execute()`:
 * `await trx.commit().execute()` gives the connection back, a bare `trx.commit()` builds and
 * sends nothing. `db.connection().execute(fn)` and `db.transaction().execute(fn)` lend: kysely
 * gives the connection back (committing or rolling back) when `fn`'s promise settles
 * (dist/esm/kysely.js: `ControlledTransactionBuilder`, `ControlledTransaction`,
 * `ConnectionBuilder`, `TransactionBuilder`). Savepoints are not followed: the instance
 * `trx.savepoint(name).execute()` (like `withSchema(…)`, `withPlugin(…)`) returns is a
 * `ControlledTransaction` sharing the connection and its state, but a commit through it is not
 * seen as the transaction's.
 */
export const kysely: ResourceDefinition = {
  name: 'kysely',
  pools: [
    {
      from: 'package',
      package: 'kysely',
      // `setIsolationLevel(…)` and `setAccessMode(…)` return the same builders.
      name: ['ControlledTransactionBuilder', 'ConnectionBuilder', 'TransactionBuilder'],
    },
  ],
  // `ControlledTransactionBuilder#execute()`; the lenders' `execute(fn)` is the callback form.
  acquire: ['execute'],
  callbacks: [{ method: 'execute', resourceParameter: 0, borrowed: true }],
  release: ['rollback', 'commit'],
  commits: ['commit'],
  // The releases build a `Command`; `execute()` runs it.
  releaseRunBy: 'execute',
  poolRelease: [],
  // Queries are builders (`trx.selectFrom('users')…`) that run only on their own `execute()`; of
  // the transaction's own methods, `executeQuery(query)` returns a promise and is a query.
  queries: [],
  poolQueries: [],
  releaseToOwnPool: false,
  connectsLazily: false,
  asyncRelease: true,
  suggestUsing: false,
  // `ControlledTransaction` extends `Kysely`, whose `Symbol.asyncDispose` calls `destroy()`, and a
  // `Transaction`'s `destroy()` throws: `await using` releases nothing.
  disposeReleases: false,
  // Once committed or rolled back, the transaction's executor throws "Transaction is already
  // committed" (or "… rolled back") for every command, a second `commit()` or `rollback()` included
  // (a rollback after a commit that reported an aborted transaction excepted).
  idempotentRelease: false,
  // True once `commit()` (`isCommitted`) or `rollback()` (`isRolledBack`; also when a commit found
  // the transaction aborted) has run.
  stateChecks: [
    { name: 'isCommitted', on: 'resource', whenTrue: 'released' },
    { name: 'isRolledBack', on: 'resource', whenTrue: 'released' },
  ],
  // A function taking a `Transaction` (or a `ControlledTransaction`) was lent it by its caller.
  resourceTypes: [{ from: 'package', package: 'kysely', name: ['Transaction', 'ControlledTransaction'] }],
};
