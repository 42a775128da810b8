// `trackPool`: wraps one pool's acquire and release methods (found through the driver table,
// drivers.ts) so that every connection checked out is recorded with where and when it was taken,
// without changing what the pool does — the wrappers call the original with the same arguments
// and receiver and return its very return value (the same promise object, not a derived one), so
// results, errors and events are the driver's own. On top of those records: one warning per
// connection held past `leakThresholdMs` (a single timer for the oldest hold, not one per
// acquisition), a diagnostic when a request has to wait because every connection is held, and
// `stats()`. The pool's own methods are replaced by own properties and restored by `untrack()`;
// methods wrapped on connections become pass-throughs once untracked.
import { type DriverEntry, type Fn, type Obj, findDriver, isFn, isObj, DRIVERS } from './drivers.js';
import { wrapMethod, markWrapper, isWrapper } from './patch.js';
import { exhaustionMessage, groupBySite, leakMessage, releasedAfterLeakMessage } from './report.js';
import { type CapturedStack, captureStack, siteOf } from './stack.js';
import type { AcquisitionSite, HoldInfo, Logger, PoolStats, TrackOptions } from './types.js';

/** A checked-out connection, as the tracker records it. */
interface Hold {
  readonly id: number;
  readonly acquiredAt: number;
  readonly stack: CapturedStack | undefined;
  site?: AcquisitionSite;
  warned: boolean;
  failedQuery: string | undefined;
}

/** What `trackPool` returns. */
export interface PoolTracker {
  /** The driver table's name for the pool (`pg`, `mysql2`, `mariadb`, `generic-pool`, `typeorm`). */
  readonly driver: string;
  /** Counts, the oldest holds and every hold grouped by site. */
  stats(): PoolStats;
  /** Every connection checked out and not given back, oldest first. */
  holds(): HoldInfo[];
  /** Forgets the current holds (they are no longer reported); returns them. */
  forget(): HoldInfo[];
  /** Restores the pool's methods; wrapped connections stop recording. */
  untrack(): void;
}

const DEFAULTS = { exhaustionReportIntervalMs: 60_000, oldest: 5, sampleRate: 1 } as const;

/** Trackers by pool (and by the wrapped target, for mysql2's promise pool). */
const TRACKERS = new WeakMap<object, Tracker>();

export class Tracker implements PoolTracker {
  readonly driver: string;
  /** Called on every connection as it is checked out (injectFailures wraps its query methods here). */
  readonly decorators = new Set<(connection: Obj) => void>();
  /** The object whose methods are wrapped (the pool, or mysql2's callback pool under its promise pool). */
  readonly target: Obj;
  readonly entry: DriverEntry;
  private options: TrackOptions;
  private active = true;
  private nextId = 1;
  /** In acquisition order (a Map keeps insertion order): the oldest hold comes first. */
  private readonly held = new Map<object, Hold>();
  private readonly restores: Array<() => void> = [];
  /** Our wrapped acquisition callbacks: a driver that re-dispatches one (mysql2) is not recorded twice. */
  private readonly ourCallbacks = new WeakSet<Fn>();
  private leakTimer: ReturnType<typeof setTimeout> | undefined;
  private exhausted = false;
  private lastExhaustionReport = -Infinity;

  constructor(pool: Obj, entry: DriverEntry, options: TrackOptions) {
    this.driver = entry.name;
    this.entry = entry;
    this.target = entry.target?.(pool) ?? pool;
    this.options = options;
    if (options.enabled === false) {
      this.active = false;
      return;
    }
    this.wrapPool();
  }

  configure(options: TrackOptions): void {
    this.options = { ...this.options, ...options };
  }

  private get logger(): Logger {
    return this.options.logger ?? ((message: string) => console.warn(message));
  }

  private wrapPool(): void {
    // The wrappers need two receivers: the driver's (`this`, passed on to the original) and ours.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tracker = this;
    const { acquire, doneArgument } = this.entry;
    const restoreAcquire = wrapMethod(this.target, acquire.method, (original) => {
      const wrapper = function (this: unknown, ...args: unknown[]): unknown {
        if (!tracker.active) return original.apply(this, args);
        const stack = tracker.capture(wrapper);
        if (acquire.returns === 'sync') {
          const connection = original.apply(this, args);
          if (!isObj(connection)) return connection;
          tracker.acquired(connection, stack);
          tracker.checkExhaustion(connection);
          return connection;
        }
        const callbackIndex = args.findLastIndex(isFn);
        const callback = args[callbackIndex];
        if (isFn(callback)) {
          if (tracker.ourCallbacks.has(callback)) return original.apply(this, args);
          const tracked = function (this: unknown, error: unknown, connection: unknown, ...rest: unknown[]): unknown {
            if ((error === null || error === undefined) && isObj(connection)) {
              tracker.acquired(connection, stack);
              // pg passes the release function too: hand on the tracked one (rest starts at argument 2).
              const release = tracker.entry.connectionRelease[0]?.method;
              if (doneArgument !== undefined && release !== undefined && doneArgument - 2 < rest.length) rest[doneArgument - 2] = connection[release];
            }
            return callback.call(this, error, connection, ...rest);
          };
          tracker.ourCallbacks.add(tracked);
          const copy = [...args];
          copy[callbackIndex] = tracked;
          const result = original.apply(this, copy);
          tracker.checkExhaustion();
          return result;
        }
        const result = original.apply(this, args);
        tracker.checkExhaustion();
        if (isObj(result) && isFn(result.then)) {
          // A side branch: the caller gets `result` itself. Registered first, so the hold exists
          // before the caller's own continuation runs; rejections are the caller's to handle.
          result.then.call(result, (connection: unknown) => {
            if (isObj(connection)) tracker.acquired(connection, stack);
          }, () => undefined);
        }
        return result;
      };
      return wrapper;
    });
    if (restoreAcquire === undefined) throw new TypeError(`trackPool: the ${this.driver} pool has no ${acquire.method}() method`);
    this.restores.push(restoreAcquire);
    for (const { method } of this.entry.poolRelease) {
      const restore = wrapMethod(this.target, method, (original) => function (this: unknown, ...args: unknown[]): unknown {
        if (tracker.active && isObj(args[0])) tracker.released(args[0]);
        return original.apply(this, args);
      });
      if (restore !== undefined) this.restores.push(restore);
    }
  }

  /** The stack of the application's acquiring call, or undefined when not sampled. */
  private capture(below: Fn): CapturedStack | undefined {
    const rate = this.options.sampleRate ?? DEFAULTS.sampleRate;
    if (rate < 1 && !(Math.random() < rate)) return undefined;
    return captureStack(below);
  }

  /** Records a checked-out connection and wraps its release methods. */
  private acquired(connection: Obj, stack: CapturedStack | undefined): void {
    this.decorate(connection);
    this.held.delete(connection); // handed out again without a release we saw: it is a new hold
    this.held.set(connection, { id: this.nextId++, acquiredAt: performance.now(), stack, warned: false, failedQuery: undefined });
    this.scheduleLeakCheck();
  }

  private decorate(connection: Obj): void {
    // As in wrapPool: the wrappers pass the driver's `this` on, and need the tracker too.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tracker = this;
    for (const { method } of this.entry.connectionRelease) {
      const original = connection[method];
      if (!isFn(original) || isWrapper(original)) continue;
      connection[method] = markWrapper(function (this: unknown, ...args: unknown[]): unknown {
        // Recorded before the original runs: pg hands the client to the next waiter synchronously.
        if (tracker.active) tracker.released(connection);
        return original.apply(this, args);
      });
    }
    for (const { method } of this.entry.waitPoints) {
      const original = connection[method];
      if (!isFn(original) || isWrapper(original)) continue;
      connection[method] = markWrapper(function (this: unknown, ...args: unknown[]): unknown {
        const result = original.apply(this, args);
        if (tracker.active) tracker.checkExhaustion(connection);
        return result;
      });
    }
    for (const decorator of this.decorators) decorator(connection);
  }

  /** Ends a hold (idempotent: a second release, or a pool-level and a connection-level one). */
  released(connection: object): void {
    const hold = this.held.get(connection);
    if (hold === undefined) return;
    this.held.delete(connection);
    if (hold.warned) this.logger(releasedAfterLeakMessage(this.driver, this.info(hold, performance.now())));
  }

  /** Marks the hold of `connection` as having seen a failed query (for the leak's wording). */
  queryFailed(connection: object, method: string): void {
    const hold = this.held.get(connection);
    if (hold !== undefined) hold.failedQuery = method;
  }

  private info(hold: Hold, now: number): HoldInfo {
    hold.site ??= siteOf(hold.stack);
    return { id: hold.id, site: hold.site, heldMs: now - hold.acquiredAt, failedQuery: hold.failedQuery };
  }

  private scheduleLeakCheck(): void {
    const threshold = this.options.leakThresholdMs ?? 0;
    if (threshold <= 0 || this.leakTimer !== undefined) return;
    for (const hold of this.held.values()) {
      if (hold.warned) continue;
      const remaining = hold.acquiredAt + threshold - performance.now();
      this.leakTimer = setTimeout(() => this.checkLeaks(), Math.max(1, Math.ceil(remaining)));
      this.leakTimer.unref?.();
      return;
    }
  }

  /** Warns about every hold past the threshold (oldest first), then waits for the next one. */
  private checkLeaks(): void {
    this.leakTimer = undefined;
    if (!this.active) return;
    const threshold = this.options.leakThresholdMs ?? 0;
    const now = performance.now();
    for (const hold of this.held.values()) {
      if (hold.warned) continue;
      if (now - hold.acquiredAt < threshold) break;
      hold.warned = true;
      const info = this.info(hold, now);
      const message = leakMessage(this.driver, info, threshold);
      this.logger(message);
      this.options.onLeak?.({ driver: this.driver, hold: info, leakThresholdMs: threshold, message });
    }
    this.scheduleLeakCheck();
  }

  /**
   * After an acquisition call: reports when the request had to queue because every connection is
   * held. `waiter` is the requester's own hold when it is already recorded (a TypeORM runner
   * connecting), which holds nothing yet and is left out of the report.
   */
  private checkExhaustion(waiter?: object): void {
    const counts = this.entry.counts(this.target, this.held.size, this.options.max);
    const full = counts.waiting > 0 && counts.idle === 0 && (counts.max === undefined || counts.inUse >= counts.max);
    if (!full) {
      this.exhausted = false;
      return;
    }
    const now = performance.now();
    const interval = this.options.exhaustionReportIntervalMs ?? DEFAULTS.exhaustionReportIntervalMs;
    if (this.exhausted && now - this.lastExhaustionReport < interval) return;
    this.exhausted = true;
    this.lastExhaustionReport = now;
    const stats = this.stats(waiter);
    const message = exhaustionMessage(stats, stats.sites);
    this.logger(message);
    this.options.onExhausted?.({ driver: this.driver, stats, groups: stats.sites, message });
  }

  holds(excluding?: object): HoldInfo[] {
    const now = performance.now();
    const holds: HoldInfo[] = [];
    for (const [connection, hold] of this.held) if (connection !== excluding) holds.push(this.info(hold, now));
    return holds;
  }

  forget(): HoldInfo[] {
    const holds = this.holds();
    this.held.clear();
    return holds;
  }

  stats(excluding?: object): PoolStats {
    const holds = this.holds(excluding);
    const counts = this.entry.counts(this.target, holds.length, this.options.max);
    return {
      driver: this.driver,
      ...counts,
      tracked: holds.length,
      oldest: holds.slice(0, this.options.oldest ?? DEFAULTS.oldest),
      sites: groupBySite(holds),
    };
  }

  untrack(): void {
    this.active = false;
    if (this.leakTimer !== undefined) clearTimeout(this.leakTimer);
    this.leakTimer = undefined;
    for (const restore of this.restores.splice(0).reverse()) restore();
    for (const key of this.keys) if (TRACKERS.get(key) === this) TRACKERS.delete(key);
  }

  /** The pool and the target this tracker is registered under. */
  keys: object[] = [];
}

/** A one-line description of what an unsupported object looks like, for the error. */
function describe(pool: unknown): string {
  if (!isObj(pool)) return typeof pool;
  const name = (pool.constructor as { name?: string } | undefined)?.name ?? 'Object';
  return `this ${name}`;
}

/**
 * Tracks a pool: its driver is recognised by shape (pg Pool, mysql2 pool — callback or promise —,
 * mariadb pool, generic-pool Pool, TypeORM DataSource). A pool already tracked gets the new
 * options and the same tracker back.
 */
export function trackPool(pool: object, options: TrackOptions = {}): PoolTracker {
  const existing = TRACKERS.get(pool);
  if (existing !== undefined) {
    existing.configure(options);
    return existing;
  }
  const entry = findDriver(pool as Obj);
  if (entry === undefined) {
    const names = [...new Set(DRIVERS.map((driver) => driver.name))].join(', ');
    throw new TypeError(`trackPool: ${describe(pool)} is not a pool this package knows (${names}): see docs/runtime.md`);
  }
  const tracker = new Tracker(pool as Obj, entry, options);
  tracker.keys = [pool, tracker.target];
  for (const key of tracker.keys) TRACKERS.set(key, tracker);
  return tracker;
}

/** The tracker of a pool, if it has one. */
export function trackerOf(pool: object): Tracker | undefined {
  return TRACKERS.get(pool);
}
