// The drivers `trackPool` knows, as one data table: how to recognise each one's pool at run time
// (by shape: the methods and counters its pool object has, never by `instanceof`, so that two
// copies of a driver in node_modules both work and this package needs none of them installed),
// which method acquires a connection, which methods give it back, which methods run queries (for
// `injectFailures`) and where the pool keeps its counts. Every entry says why. Some counts come
// from a driver's underscored fields (mysql2 exposes no others); each such read is named in the
// entry's `counts` reason, and a missing field reads as 0 rather than throwing.

/** Any object: pools and connections are inspected by shape. */
export type Obj = Record<PropertyKey, unknown>;
/** Any function, called with the receiver it was found on. */
export type Fn = (this: unknown, ...args: unknown[]) => unknown;

export interface PoolCounts {
  readonly total: number;
  readonly idle: number;
  readonly inUse: number;
  readonly waiting: number;
  readonly max: number | undefined;
}

/**
 * How a failed query is reported to its caller, the way the driver itself reports errors:
 * `promise`: the returned promise rejects; `callback-or-promise`: the callback (the last function
 * argument) gets the error, and without one the promise rejects; `callback-with-emitter`: like
 * the previous, and the call returns an event emitter that emits `end` afterwards (mysql2's
 * commands, on which its own pool waits for `end` to release the connection).
 */
export type FailureStyle = 'promise' | 'callback-or-promise' | 'callback-with-emitter';

interface Method {
  readonly method: string;
  readonly why: string;
}

export interface DriverEntry {
  /** The name reports use (`pg`, `mysql2`, …). */
  readonly name: string;
  readonly recognise: (pool: Obj) => boolean;
  /** Why that shape is this driver's pool and no other's. */
  readonly why: string;
  /** The object whose methods are wrapped, when it is not the pool itself (mysql2's promise pool wraps a callback pool). */
  readonly target?: (pool: Obj) => Obj;
  /** `async`: the connection comes through a callback (the last function argument) or a promise; `sync`: it is the return value. */
  readonly acquire: Method & { readonly returns: 'async' | 'sync' };
  /** For a callback acquisition, the callback's argument that is a release function to replace with the tracked one (pg's `done`). */
  readonly doneArgument?: number;
  /** Methods on the connection that give it back (or destroy it: either way it is no longer held). */
  readonly connectionRelease: readonly Method[];
  /** Methods on the pool that take the connection as their first argument and give it back. */
  readonly poolRelease: readonly Method[];
  /** Methods on the connection after which a request may wait for the pool (TypeORM's runner connects lazily). */
  readonly waitPoints: readonly Method[];
  /** Query methods failed by `injectFailures`, on connections and on the pool itself. */
  readonly queries: { readonly connection: readonly string[]; readonly pool: readonly string[]; readonly failure: FailureStyle; readonly why: string };
  readonly counts: (pool: Obj, tracked: number, max: number | undefined) => PoolCounts;
  readonly countsWhy: string;
}

const isFn = (value: unknown): value is Fn => typeof value === 'function';
const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null;
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
/** A length-bearing internal queue (mysql2's ring queues, arrays). */
const len = (value: unknown): number => (isObj(value) ? num(value.length) : 0);
const call = (pool: Obj, method: string): number => {
  const f = pool[method];
  return isFn(f) ? num(f.call(pool)) : 0;
};
const counts = (total: number, idle: number, inUse: number, waiting: number, max: number | undefined): PoolCounts => ({ total, idle, inUse, waiting, max });

function isMysql2CorePool(pool: Obj): boolean {
  return isFn(pool.getConnection) && isFn(pool.releaseConnection) && isObj(pool._allConnections) && isObj(pool._freeConnections) && isObj(pool._connectionQueue) && isObj(pool.config);
}

function isPgPool(pool: Obj): boolean {
  return isFn(pool.connect) && isFn(pool.query) && 'totalCount' in pool && 'idleCount' in pool && 'waitingCount' in pool;
}

function pgCounts(pool: Obj): PoolCounts {
  const total = num(pool.totalCount);
  const idle = num(pool.idleCount);
  const options = isObj(pool.options) ? pool.options : {};
  return counts(total, idle, total - idle, num(pool.waitingCount), typeof options.max === 'number' ? options.max : 10);
}

function mysql2Counts(pool: Obj): PoolCounts {
  const total = len(pool._allConnections);
  const idle = len(pool._freeConnections);
  const config = isObj(pool.config) ? pool.config : {};
  const limit = typeof config.connectionLimit === 'number' && config.connectionLimit > 0 ? config.connectionLimit : undefined;
  return counts(total, idle, total - idle, len(pool._connectionQueue), limit);
}

const PG_RELEASE: Method = { method: 'release', why: 'PoolClient#release(err?): pg assigns a fresh one at every checkout, so it is wrapped at every checkout' };

export const DRIVERS: readonly DriverEntry[] = [
  {
    name: 'pg',
    why: 'pg-pool is the only pool with connect() and query() next to the totalCount/idleCount/waitingCount getters',
    recognise: isPgPool,
    acquire: { method: 'connect', returns: 'async', why: 'connect(cb?) calls back with (err, client, done) or returns a promise of the client; pool.query() goes through it too' },
    doneArgument: 2,
    connectionRelease: [PG_RELEASE],
    poolRelease: [],
    waitPoints: [],
    queries: { connection: ['query'], pool: [], failure: 'callback-or-promise', why: 'pool.query() runs client.query() on a client from connect(), so failing client.query() covers both' },
    counts: pgCounts,
    countsWhy: 'the public getters, and options.max (pg defaults it to 10)',
  },
  {
    name: 'mysql2',
    why: "mysql2's promise pool (mysql2/promise, pool.promise()) keeps its callback pool in .pool; everything it does goes through that one",
    recognise: (pool) => isFn(pool.getConnection) && isObj(pool.pool) && isMysql2CorePool(pool.pool),
    target: (pool) => pool.pool as Obj,
    acquire: { method: 'getConnection', returns: 'async', why: "the promise pool's getConnection() calls the callback pool's getConnection(cb) synchronously, so the application's frame is on the stack" },
    connectionRelease: [
      { method: 'release', why: "PromisePoolConnection#release() calls the callback connection's release()" },
      { method: 'destroy', why: 'destroy() closes it and takes it out of the pool' },
      { method: 'end', why: 'end() on a pool connection releases it (deprecated, still supported)' },
    ],
    poolRelease: [{ method: 'releaseConnection', why: 'pool.releaseConnection(conn), which connection.release() calls too' }],
    waitPoints: [],
    queries: { connection: ['query', 'execute'], pool: ['query'], failure: 'callback-with-emitter', why: "the promise API calls the callback API's query/execute with a callback; pool.query() hands the connection a prepared command, so it is failed at the pool" },
    counts: (pool) => mysql2Counts(pool),
    countsWhy: "mysql2 has no public counts: _allConnections, _freeConnections and _connectionQueue (its ring queues' length), and config.connectionLimit",
  },
  {
    name: 'mysql2',
    why: 'the callback pool (mysql2.createPool) is the only one with getConnection() and releaseConnection() next to _allConnections/_freeConnections/_connectionQueue',
    recognise: isMysql2CorePool,
    acquire: { method: 'getConnection', returns: 'async', why: 'getConnection(cb); pool.query() and pool.execute() go through it too' },
    connectionRelease: [
      { method: 'release', why: 'PoolConnection#release(), idempotent' },
      { method: 'destroy', why: 'destroy() closes it and takes it out of the pool' },
      { method: 'end', why: 'end() on a pool connection releases it (deprecated, still supported)' },
    ],
    poolRelease: [{ method: 'releaseConnection', why: 'pool.releaseConnection(conn), which connection.release() calls too' }],
    waitPoints: [],
    queries: { connection: ['query', 'execute'], pool: ['query'], failure: 'callback-with-emitter', why: 'query/execute(sql, values?, cb) return a command that emits end; pool.query() hands the connection a prepared command, so it is failed at the pool' },
    counts: (pool) => mysql2Counts(pool),
    countsWhy: "mysql2 has no public counts: _allConnections, _freeConnections and _connectionQueue (its ring queues' length), and config.connectionLimit",
  },
  {
    name: 'mariadb',
    why: "mariadb's promise pool is the only one with getConnection() and taskQueueSize()/activeConnections()/idleConnections()",
    recognise: (pool) => isFn(pool.getConnection) && isFn(pool.taskQueueSize) && isFn(pool.activeConnections) && isFn(pool.idleConnections),
    acquire: { method: 'getConnection', returns: 'async', why: 'getConnection() returns a promise of a new ConnectionPromise per checkout' },
    connectionRelease: [
      { method: 'release', why: 'await conn.release(): set on each checked-out connection' },
      { method: 'end', why: 'on a pool connection end() is release()' },
      { method: 'close', why: 'on a pool connection close() is release()' },
      { method: 'destroy', why: 'destroy() closes it and takes it out of the pool' },
    ],
    poolRelease: [],
    waitPoints: [],
    queries: { connection: ['query', 'execute', 'batch'], pool: ['query', 'execute', 'batch'], failure: 'promise', why: "pool.query() borrows from the inner pool directly, not through getConnection(), so it is failed at the pool" },
    counts: (pool, _tracked, max) => counts(call(pool, 'totalConnections'), call(pool, 'idleConnections'), call(pool, 'activeConnections'), call(pool, 'taskQueueSize'), max ?? 10),
    countsWhy: "the public methods; the pool's connectionLimit is private, so options.max (default 10, mariadb's default)",
  },
  {
    name: 'generic-pool',
    why: 'generic-pool is the only pool with acquire()/release()/destroy() next to the borrowed, pending and available counters',
    recognise: (pool) => isFn(pool.acquire) && isFn(pool.release) && isFn(pool.destroy) && 'borrowed' in pool && 'pending' in pool && 'available' in pool,
    acquire: { method: 'acquire', returns: 'async', why: 'acquire(priority?) returns a promise of the resource; pool.use(fn) goes through it too' },
    connectionRelease: [],
    poolRelease: [
      { method: 'release', why: 'pool.release(resource) gives it back' },
      { method: 'destroy', why: 'pool.destroy(resource) destroys it: no longer on loan either way' },
    ],
    waitPoints: [],
    queries: { connection: ['query'], pool: [], failure: 'callback-or-promise', why: "resources are the application's own objects: their query() (or the methods injectFailures is given)" },
    counts: (pool) => counts(num(pool.size), num(pool.available), num(pool.borrowed), num(pool.pending), typeof pool.max === 'number' ? pool.max : undefined),
    countsWhy: 'the public size, available, borrowed, pending and max getters',
  },
  {
    name: 'typeorm',
    why: 'a TypeORM DataSource is the only object with createQueryRunner() and initialize() next to driver and manager',
    recognise: (pool) => isFn(pool.createQueryRunner) && isFn(pool.initialize) && 'driver' in pool && 'manager' in pool,
    acquire: { method: 'createQueryRunner', returns: 'sync', why: 'each query runner holds a connection until release(); dataSource.query(), the manager and transaction() create theirs through it' },
    connectionRelease: [{ method: 'release', why: 'await queryRunner.release() gives its connection back' }],
    poolRelease: [],
    waitPoints: [{ method: 'connect', why: "a query runner takes its connection from the driver's pool lazily, in connect() (query() calls it)" }],
    queries: { connection: ['query'], pool: [], failure: 'promise', why: 'dataSource.query() and the manager run queryRunner.query() on a runner from createQueryRunner()' },
    counts: (pool, tracked) => typeormCounts(pool, tracked),
    countsWhy: "the driver's own pool (driver.master for postgres, driver.pool for mysql/mariadb), counted as that driver's entry counts it",
  },
];

/** TypeORM's counts are those of the pool underneath: pg's for postgres, mysql2's for mysql. */
function typeormCounts(dataSource: Obj, tracked: number): PoolCounts {
  const driver = isObj(dataSource.driver) ? dataSource.driver : {};
  const underlying = [driver.master, driver.pool].find(isObj);
  const entry = underlying === undefined ? undefined : findDriver(underlying);
  if (underlying === undefined || entry === undefined || entry.name === 'typeorm') return counts(tracked, 0, tracked, 0, undefined);
  return entry.counts(underlying, tracked, undefined);
}

/** The first entry whose shape the pool has. */
export function findDriver(pool: Obj): DriverEntry | undefined {
  return DRIVERS.find((entry) => entry.recognise(pool));
}

export { isFn, isObj };
