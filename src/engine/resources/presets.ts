import type { TypeOrValueSpecifier } from '@typescript-eslint/type-utils';

/**
 * One kind of pooled resource: how it is taken from its pool and how it is given back.
 * Every type is named with typescript-eslint's `TypeOrValueSpecifier`, so user pools
 * (`settings['connection-leaks'].resources`) use the same format as the built-in presets.
 */
export interface ResourceDefinition {
  /** The preset or user resource name, shown in messages and the audit inventory. */
  readonly name: string;
  /** Types of the pools (or factories) whose acquire methods hand out a resource. */
  readonly pools: readonly TypeOrValueSpecifier[];
  /**
   * Methods on a pool that acquire and return the resource (or a promise of it). A call of one
   * of them with a callback argument is the callback form, matched through `callbacks` instead.
   */
  readonly acquire: readonly string[];
  /** Methods on a pool that hand a resource to a callback (`pool.connect((err, client, done) => …)`). */
  readonly callbacks: readonly CallbackAcquire[];
  /** Methods on the resource that give it back (release, destroy, close…). */
  readonly release: readonly string[];
  /** Methods on the pool that give back the resource passed as their first argument. */
  readonly poolRelease: readonly string[];
  /**
   * The resource's query methods. Any method of the resource that returns a promise is a query
   * for `no-unawaited-query`; these names count too where the result is untyped (`any`).
   */
  readonly queries: readonly string[];
  /** Methods on the pool itself that run a query on a connection of their own (`pool.query(…)`). */
  readonly poolQueries: readonly string[];
  /**
   * Whether the pool release only accepts resources borrowed from that same pool (generic-pool
   * rejects any other), rather than releasing whatever connection it is given (mysql2).
   */
  readonly releaseToOwnPool: boolean;
  /**
   * Whether the resource holds no connection until it is used: TypeORM's `createQueryRunner()`
   * only builds a runner, which takes a connection in `connect()` (or its first query). Until
   * then, and after a `connect()` that failed, there is nothing to release.
   */
  readonly connectsLazily: boolean;
  /** Whether the release returns a promise that must be awaited (fixes write `await`). */
  readonly asyncRelease: boolean;
  /**
   * Whether a fix may offer `await using`. TypeORM's `QueryRunner[Symbol.asyncDispose]` commits an
   * open transaction even on error paths, so the preset turns it off.
   */
  readonly suggestUsing: boolean;
  /**
   * Release methods that end the resource only when the work succeeded (knex's `commit()`): they
   * count as a release on the path that calls them, but no fix ever moves one into a `finally`.
   * None when absent.
   */
  readonly commits?: readonly string[];
  /**
   * Whether the promise-like values the resource's methods return are lazy builders that run
   * nothing until awaited (knex): then only the `queries` named are queries. False when absent.
   */
  readonly lazyQueries?: boolean;
  /**
   * Types of what an acquire method may return that hold no pooled connection (typeorm's
   * `MongoQueryRunner`: the driver's one shared runner, whose `release()` does nothing). A result
   * of such a type (as declared, or as cast) is not an acquisition. None when absent.
   */
  readonly unpooled?: readonly TypeOrValueSpecifier[];
  /**
   * Whether giving the resource back twice is harmless (mysql2, TypeORM, a MongoDB session: the
   * second call does nothing). `no-use-after-release` then reports a use after release, but not a
   * second release. False when absent: node-postgres throws, generic-pool rejects.
   */
  readonly idempotentRelease?: boolean;
  /** How transactions begin and end on the resource (`no-open-transaction`); none are followed when absent. */
  readonly transactions?: TransactionModel;
  /**
   * Properties or methods whose value says whether the resource is still held: a TypeORM runner's
   * `isReleased`, knex's `trx.isCompleted()`, a MongoDB session's `hasEnded`, generic-pool's
   * `pool.isBorrowedResource(resource)`. A branch that contradicts what the path knows is not
   * taken: `if (!runner.isReleased) await runner.release()` releases every runner a path holds.
   * None when absent.
   */
  readonly stateChecks?: readonly StateCheck[];
  /**
   * Types of the resource itself (pg's `PoolClient`): a function with a parameter of one was lent
   * the connection by its caller, who may release it as soon as the function returns, so a query
   * it leaves running is `no-unawaited-query`'s. None when absent.
   */
  readonly resourceTypes?: readonly TypeOrValueSpecifier[];
}

/** A property or method that tells whether the resource is still held (see `stateChecks`). */
export interface StateCheck {
  /** The property, or the method called with no arguments (`on: 'pool'`: with the resource as its argument). */
  readonly name: string;
  /** Whose member it is: the resource's own (`runner.isReleased`), or the pool's (`pool.isBorrowedResource(r)`). */
  readonly on: 'resource' | 'pool';
  /** What a true value means: the resource was given back, or it is still held. */
  readonly whenTrue: 'released' | 'held';
}

/** How a resource's transactions begin and end, and which releases end them by discarding the connection. */
export interface TransactionModel {
  /** Methods of the resource that begin one (`beginTransaction()`, `startTransaction()`). */
  readonly begin: readonly string[];
  /** Methods that end one: commit or roll back. */
  readonly end: readonly string[];
  /** Whether `BEGIN` / `START TRANSACTION` and `COMMIT` / `ROLLBACK` sent as SQL count. */
  readonly sql: boolean;
  /** Release methods that discard the connection instead of returning it to the pool (`destroy()`). */
  readonly discardingReleases: readonly string[];
  /** Whether a release given an argument discards the connection (pg's `release(err)`). */
  readonly releaseWithArgumentDiscards: boolean;
  /**
   * Properties or methods of the resource that tell whether a transaction is open (TypeORM's
   * `isTransactionActive`, MongoDB's `inTransaction()`): a branch where one is false has none.
   */
  readonly activeChecks?: readonly string[];
  /**
   * Whether giving the resource back rolls an open transaction back (mariadb's pool resets the
   * connection; MongoDB's `endSession()` aborts it): a failure path then loses nothing that was
   * meant to be kept, and only a path that never commits is reported — its work is lost.
   */
  readonly releaseRollsBack?: boolean;
}

/**
 * A pool method that passes the resource to a callback instead of returning it. The callback is
 * the method's last argument, a function written in place (a function the analysis cannot see
 * is beyond it).
 */
export interface CallbackAcquire {
  readonly method: string;
  /** Which parameter of the callback receives the resource. */
  readonly resourceParameter: number;
  /** A parameter that is set when acquiring failed (and the resource parameter is then empty). */
  readonly errorParameter?: number;
  /** A parameter that is a function releasing the resource (pg's `done`). */
  readonly releaseParameter?: number;
  /**
   * The pool gives the resource back itself when the callback's promise settles (knex's
   * `transaction(handler)`, generic-pool's `use(fn)`): the callback only borrows it, and must
   * not let it escape or leave a query running. Otherwise the callback owns it and must release it.
   */
  readonly borrowed: boolean;
}

const pg: ResourceDefinition = {
  name: 'pg',
  pools: [{ from: 'package', package: 'pg', name: 'Pool' }],
  acquire: ['connect'],
  callbacks: [{ method: 'connect', resourceParameter: 1, errorParameter: 0, releaseParameter: 2, borrowed: false }],
  release: ['release'],
  poolRelease: [],
  queries: ['query'],
  poolQueries: ['query'],
  releaseToOwnPool: false,
  connectsLazily: false,
  asyncRelease: false,
  suggestUsing: false,
  transactions: { begin: [], end: [], sql: true, discardingReleases: [], releaseWithArgumentDiscards: true },
  resourceTypes: [{ from: 'package', package: 'pg', name: 'PoolClient' }],
};

/** The promise API (`mysql2/promise`, or `pool.promise()`) and the callback API (`pool.getConnection((err, conn) => …)`). */
const mysql2: ResourceDefinition = {
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

const genericPool: ResourceDefinition = {
  name: 'generic-pool',
  pools: [{ from: 'package', package: 'generic-pool', name: 'Pool' }],
  acquire: ['acquire'],
  // `pool.use(fn)` acquires, runs `fn` with the resource and releases it when fn's promise settles.
  callbacks: [{ method: 'use', resourceParameter: 0, borrowed: true }],
  release: [],
  poolRelease: ['release', 'destroy'],
  // The resource is the user's own type: its promise-returning methods are its queries.
  queries: [],
  poolQueries: [],
  releaseToOwnPool: true,
  connectsLazily: false,
  asyncRelease: true,
  suggestUsing: false,
  // True while the resource is on loan from that pool.
  stateChecks: [{ name: 'isBorrowedResource', on: 'pool', whenTrue: 'held' }],
};

const typeorm: ResourceDefinition = {
  name: 'typeorm',
  pools: [
    // `Connection` extends DataSource. A driver hands out runners too (`dataSource.driver`,
    // `this.createQueryRunner()` inside typeorm's own pooled drivers).
    {
      from: 'package',
      package: 'typeorm',
      name: [
        'DataSource',
        'Driver',
        'PostgresDriver',
        'AuroraPostgresDriver',
        'CockroachDriver',
        'MysqlDriver',
        'AuroraMysqlDriver',
        'OracleDriver',
        'SapDriver',
        'SqlServerDriver',
        'SpannerDriver',
      ],
    },
  ],
  acquire: ['createQueryRunner'],
  callbacks: [],
  release: ['release'],
  poolRelease: [],
  queries: ['query'],
  poolQueries: ['query'],
  releaseToOwnPool: false,
  connectsLazily: true,
  asyncRelease: true,
  suggestUsing: false,
  unpooled: [{ from: 'package', package: 'typeorm', name: 'MongoQueryRunner' }],
  // `release()` returns at once when the runner `isReleased`.
  idempotentRelease: true,
  // False from creation (before `connect()` too) until `release()`.
  stateChecks: [{ name: 'isReleased', on: 'resource', whenTrue: 'released' }],
  resourceTypes: [{ from: 'package', package: 'typeorm', name: 'QueryRunner' }],
  transactions: {
    begin: ['startTransaction'],
    end: ['commitTransaction', 'rollbackTransaction'],
    sql: true,
    discardingReleases: [],
    releaseWithArgumentDiscards: false,
    activeChecks: ['isTransactionActive'],
  },
};

/**
 * The promise API (`import mariadb from 'mariadb'`; its types live in `mariadb/types/…`, which is
 * still the package `mariadb`). A pool connection's `release()`, `end()` and `close()` all give it
 * back to the pool and return promises (the pool replaces `end`/`close` by `release`);
 * `destroy()` closes it; its `Symbol.asyncDispose` releases it (since 3.5.1). The callback API
 * (`mariadb/callback`) declares types of the same names whose `getConnection(cb)` returns nothing:
 * it is not matched (its `release(cb)` takes a callback, so no fix could write it).
 */
const mariadb: ResourceDefinition = {
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

/**
 * node-oracledb (types from `@types/oracledb`, which typescript-eslint counts as the package
 * `oracledb`). `close()` and `release()` are one method (`release` is an alias), returning a
 * promise without a callback; closing a pooled connection rolls back its open transaction, and so
 * does its `Symbol.asyncDispose` (7.0), which calls `close()`. `queryStream()` returns a stream,
 * not a promise: it is not a query.
 */
const oracledb: ResourceDefinition = {
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

/**
 * A MongoDB session: `client.startSession()` returns it at once (no promise); `endSession()`
 * (a promise) aborts a transaction still open and gives the server session back to the client's
 * pool; a second call does nothing. `Symbol.asyncDispose` is `endSession()`. `withSession(fn)`
 * ends the session itself when `fn`'s promise settles. Queries run through collections, not
 * through the session.
 */
const mongodb: ResourceDefinition = {
  name: 'mongodb',
  pools: [{ from: 'package', package: 'mongodb', name: 'MongoClient' }],
  acquire: ['startSession'],
  callbacks: [{ method: 'withSession', resourceParameter: 0, borrowed: true }],
  release: ['endSession'],
  poolRelease: [],
  queries: [],
  poolQueries: [],
  releaseToOwnPool: false,
  connectsLazily: false,
  asyncRelease: true,
  suggestUsing: true,
  // A second `endSession()` does nothing.
  idempotentRelease: true,
  // True once `endSession()` has run.
  stateChecks: [{ name: 'hasEnded', on: 'resource', whenTrue: 'released' }],
  // `endSession()` aborts a transaction still open: a path that never commits silently loses its work.
  transactions: {
    begin: ['startTransaction'],
    end: ['commitTransaction', 'abortTransaction'],
    sql: false,
    discardingReleases: [],
    releaseWithArgumentDiscards: false,
    activeChecks: ['inTransaction'],
    releaseRollsBack: true,
  },
};

/**
 * A knex transaction: `knex.transaction()` (or `transaction(config)`) without a handler takes a
 * connection from the pool, begins, and holds the connection until `commit()` or `rollback()`
 * (both run at once and return promises). A `Knex.Transaction` is itself a `Knex`, so a nested
 * `trx.transaction()` is a savepoint that needs its own commit or rollback. With a handler,
 * `transaction(async (trx) => …)` (and `trx.savepoint(…)`) commits or rolls back when the
 * handler's promise settles. `rollback` comes first: it is what a fix writes in a `finally`
 * (a rollback after a commit does nothing), never a commit on a path that failed.
 */
const knex: ResourceDefinition = {
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

export const builtInPresets = { pg, mysql2, 'generic-pool': genericPool, typeorm, mariadb, oracledb, mongodb, knex } as const;

export type PresetName = keyof typeof builtInPresets;

export const presetNames = Object.keys(builtInPresets) as PresetName[];

/** Every built-in preset, as one shared list (analyses are cached per list). */
export const allPresets: readonly ResourceDefinition[] = Object.values(builtInPresets);
