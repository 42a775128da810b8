import type { TypeOrValueSpecifier } from '@typescript-eslint/type-utils';

/**
 * One kind of pooled resource: how it is taken from its pool and how it is given back.
 * Every type is named with typescript-eslint's `TypeOrValueSpecifier`, so user pools
 * (`settings['connection-leaks'].resources`) use the same format as the built-in presets.
 */
export interface ResourceDefinition {
  /** The preset or user resource name, shown in messages and the audit inventory. */
  readonly name: string;
  /**
   * What reports call the resource when it is not its name: `pg-like` for a pool recognised by its
   * shape, `untyped` for one recognised by its use (set by `recognition.ts`; not a user setting).
   */
  readonly label?: string;
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
   * The method that runs what a release method returns, when the release methods (and the pool
   * releases) only build a command: kysely's `trx.commit()` returns a `Command` that runs on
   * `.execute()`. Then `trx.commit().execute()` releases, a bare `trx.commit()` releases nothing
   * (building the command cannot throw either), and fixes write `trx.rollback().execute()`. See
   * `releaseCommands.ts`. None when absent: the release call itself releases.
   */
  readonly releaseRunBy?: string;
  /**
   * Whether the resource's `Symbol.asyncDispose` (or `Symbol.dispose`) gives it back, so that
   * `await using` releases it. True when absent. Kysely's `ControlledTransaction` inherits the
   * `Kysely` one, which calls `destroy()` — and that throws for a transaction, releasing nothing.
   */
  readonly disposeReleases?: boolean;
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
  /**
   * Release methods that take the resource out of its pool for good, after which a release does
   * nothing (mysqljs's `destroy()` detaches the connection: a `release()` after it returns at
   * once). `no-use-after-release` does not report a second release after one. None when absent.
   */
  readonly detachingReleases?: readonly string[];
  /**
   * Whether the resource object refuses every use once given back (a finished Sequelize
   * transaction: its commit, rollback and every query given it throw), so a reference kept past
   * the loan of a lender can never run in another borrower's connection: `no-escaping-connection`
   * does not report it as kept after the loan. False when absent: a pg client or a knex
   * transaction object kept past its loan is a hazard.
   */
  readonly inertAfterRelease?: boolean;
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
