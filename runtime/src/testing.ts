// Helpers for a project's own test suite. `assertAllReleased(pool)` fails a test that leaves
// connections checked out, naming where each was taken (an `afterEach` for vitest, jest and
// node:test alike: it throws a plain Error), and forgets them so the next test starts clean.
// `injectFailures(pool, { queries, rate, error })` makes matching queries fail the way the driver
// reports errors (a rejected promise, or the callback's error), so that the exception paths the
// lint rules reason about actually run — and a connection that leaks after such a failure is
// reported in the lint rule's words for that path.
import { EventEmitter } from 'node:events';
import { type FailureStyle, type Fn, type Obj, isFn, isObj } from './drivers.js';
import { markWrapper, wrapMethod } from './patch.js';
import { unreleasedMessage } from './report.js';
import { type Tracker, trackPool, trackerOf } from './tracker.js';

/** Throws when the pool has connections checked out through its tracker; forgets them either way. */
export function assertAllReleased(pool: object): void {
  const tracker = trackerOf(pool);
  if (tracker === undefined) throw new Error('assertAllReleased: this pool is not tracked: call trackPool(pool) before the tests take connections');
  const holds = tracker.forget();
  if (holds.length > 0) throw new Error(unreleasedMessage(tracker.driver, holds));
}

export interface InjectOptions {
  /** Queries whose SQL text matches fail. */
  readonly queries: RegExp;
  /** The fraction of matching queries that fail, from 0 to 1 (default 1). */
  readonly rate?: number;
  /** The error to fail with, or a function of the SQL making one (default: an Error naming the query). */
  readonly error?: Error | ((sql: string) => Error);
  /** Query methods of generic-pool resources (default the driver table's: `query`). */
  readonly methods?: readonly string[];
  /** A source of numbers in [0, 1) for `rate` (default Math.random), for reproducible runs. */
  readonly random?: () => number;
}

export interface Injection {
  /** How many queries were failed so far. */
  readonly failures: number;
  /** Stops failing queries (wrapped connections pass calls straight through afterwards). */
  stop(): void;
}

/** The SQL of a query call: a string, or pg's `{ text }`, mysql2's and mariadb's `{ sql }`. */
function sqlOf(first: unknown): string | undefined {
  if (typeof first === 'string') return first;
  if (!isObj(first)) return undefined;
  if (typeof first.text === 'string') return first.text;
  if (typeof first.sql === 'string') return first.sql;
  return undefined;
}

/** The failure, delivered as the driver delivers its own errors (see FailureStyle). */
const FAIL: Record<FailureStyle, (args: readonly unknown[], error: Error) => unknown> = {
  promise: (_args, error) => Promise.reject(error),
  'callback-or-promise': (args, error) => {
    const callback = args.findLast(isFn);
    if (callback === undefined) return Promise.reject(error);
    process.nextTick(() => callback.call(undefined, error));
    return undefined;
  },
  'callback-with-emitter': (args, error) => {
    const callback = args.findLast(isFn);
    const command = new EventEmitter();
    process.nextTick(() => {
      if (callback !== undefined) callback.call(undefined, error);
      else command.emit('error', error);
      command.emit('end');
    });
    return command;
  },
};

/** Makes matching queries on the pool, and on every connection taken from it from now on, fail. */
export function injectFailures(pool: object, options: InjectOptions): Injection {
  const tracker = (trackerOf(pool) ?? trackPool(pool, { logger: () => undefined })) as Tracker;
  const { queries } = tracker.entry;
  const connectionMethods = options.methods ?? queries.connection;
  const fail = FAIL[queries.failure];
  const random = options.random ?? Math.random;
  const rate = options.rate ?? 1;
  let active = true;
  let failures = 0;

  /** The wrapper of one query method; `connection` is set for methods on a connection. */
  const failing = (original: Fn, method: string, connection: Obj | undefined): Fn =>
    function (this: unknown, ...args: unknown[]): unknown {
      // mysql2's pool hands its connection a prepared command (an emitter): decided at the pool already.
      const prepared = isObj(args[0]) && isFn(args[0].on);
      const sql = sqlOf(args[0]);
      if (!active || prepared || sql === undefined || !options.queries.test(sql) || !(random() < rate)) {
        return original.apply(this, args);
      }
      failures += 1;
      if (connection !== undefined) tracker.queryFailed(connection, method);
      const error = typeof options.error === 'function' ? options.error(sql) : (options.error ?? new Error(`connection-leaks: injected failure for ${JSON.stringify(sql)}`));
      return fail(args, error);
    };

  const decorated = new WeakSet<Obj>();
  const decorate = (connection: Obj): void => {
    if (decorated.has(connection)) return;
    decorated.add(connection);
    for (const method of connectionMethods) {
      const original = connection[method];
      if (!isFn(original)) continue;
      connection[method] = markWrapper(failing(original, method, connection));
    }
  };
  tracker.decorators.add(decorate);

  const restores = queries.pool.flatMap((method) => {
    const restore = wrapMethod(tracker.target, method, (original) => failing(original, method, undefined));
    return restore === undefined ? [] : [restore];
  });

  return {
    get failures() {
      return failures;
    },
    stop() {
      active = false;
      tracker.decorators.delete(decorate);
      for (const restore of restores) restore();
    },
  };
}
