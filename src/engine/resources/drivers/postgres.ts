import type { ResourceDefinition } from '../definition.js';

/**
 * porsager's postgres.js (`postgres`, 3.x; its own types, `types/index.d.ts`). `postgres(url)`
 * returns the pool, an `Sql`: `await sql.reserve()` takes one connection out of it and returns a
 * `ReservedSql`, queried as a tagged template (`` await reserved`select 1` ``), until
 * `reserved.release()` puts it back (src/index.js). `sql.begin(async (tx) => …)` lends a
 * connection: postgres.js sends `begin`, and `commit` or `rollback` when the callback's promise
 * settles, and takes the connection back itself.
 */
export const postgres: ResourceDefinition = {
  name: 'postgres',
  // `ReservedSql extends Sql` in the types, so a reserved connection matches too (the JS gives it
  // only the query methods and `release`: its `reserve` and `begin` are undefined).
  pools: [{ from: 'package', package: 'postgres', name: 'Sql' }],
  acquire: ['reserve'],
  // `sql.begin(fn)`, `sql.begin(options, fn)`: borrowed, the callback is last. (`tx.savepoint(fn)`
  // lends the same connection, but a `TransactionSql` is no `Sql`: its callback is not followed.)
  callbacks: [{ method: 'begin', resourceParameter: 0, borrowed: true }],
  // `release()` is synchronous and returns nothing.
  release: ['release'],
  poolRelease: [],
  // Queries are lazy: a `Query` (a `Promise` subclass) is sent on its first `then`/`catch`/
  // `finally`, or `execute()` (src/query.js). One nobody awaits never runs, so it races no release.
  lazyQueries: true,
  queries: [],
  // `sql.unsafe('begin')` on the pool runs on whichever connection the pool picks (postgres.js then
  // fails it with UNSAFE_TRANSACTION, after the server has begun it). A dropped one runs nothing.
  poolQueries: ['unsafe'],
  releaseToOwnPool: false,
  connectsLazily: false,
  asyncRelease: false,
  // No dispose symbol in the types.
  suggestUsing: false,
  // Not idempotent: each `release()` hands the connection to the pool again (`onopen(c)`), so a
  // second one, once another caller took it, lends it to two borrowers (nothing throws).
  idempotentRelease: false,
  // `release()` does not roll back: BEGIN sent on a reserved connection stays open for its next borrower.
  transactions: { begin: [], end: [], sql: true, discardingReleases: [], releaseWithArgumentDiscards: false },
  resourceTypes: [{ from: 'package', package: 'postgres', name: 'ReservedSql' }],
};
